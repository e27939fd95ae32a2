import { env } from "@/lib/env";

export function secureCookies(): boolean {
  return (env().NEXTAUTH_URL ?? "").startsWith("https://");
}

/** `__Host-` prefix under https (SECURITY.md): Secure, Path=/, no Domain. */
export function sessionCookieName(): string {
  return secureCookies() ? "__Host-certseal.session" : "certseal.session";
}
