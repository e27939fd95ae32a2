// A RuoYi-style query form: a plain GET form, so the filters live in the URL and work without JS.
export function QueryForm({ children, resetHref }: { children: React.ReactNode; resetHref: string }) {
  return (
    <form className="query" method="get" role="search">
      {children}
      <button className="btn primary" type="submit">查询</button>
      <a className="btn" href={resetHref}>重置</a>
    </form>
  );
}
