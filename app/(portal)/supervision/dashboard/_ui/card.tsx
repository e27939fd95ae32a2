import Link from "next/link";

type Tone = "ok" | "danger" | "warn" | undefined;

/** A figure that leads to the rows behind it. */
export function FigCard({ id, label, value, href, sub, tone }: { id: string; label: string; value: React.ReactNode; href: string; sub?: React.ReactNode; tone?: Tone }) {
  return (
    <Link className={`dash-card${tone ? ` ${tone}` : ""}`} href={href} data-testid={id} prefetch={false}>
      <span className="dash-label">{label}</span>
      <b>{value}</b>
      {sub && <small>{sub}</small>}
    </Link>
  );
}

/** A number in a table cell that leads to its rows (zero stays plain text). */
export function NumLink({ n, href, testId, tone }: { n: number; href: string; testId?: string; tone?: Tone }) {
  if (n === 0) return <span data-testid={testId}>0</span>;
  return (
    <Link href={href} data-testid={testId} className={tone ? `dash-num ${tone}` : undefined} prefetch={false}>
      {n.toLocaleString("zh-CN")}
    </Link>
  );
}

export function Section({ id, title, note, children }: { id: string; title: string; note?: React.ReactNode; children: React.ReactNode }) {
  return (
    <section className="card dash-section" aria-labelledby={`h-${id}`} data-testid={`section-${id}`}>
      <h2 id={`h-${id}`}>
        {title}
        {note && <span className="muted dash-note">{note}</span>}
      </h2>
      {children}
    </section>
  );
}
