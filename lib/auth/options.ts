import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { signIn } from "@/lib/auth/login";
import { sessionCookieName, secureCookies } from "@/lib/auth/cookies";
import { env } from "@/lib/env";
import { db, withTx } from "@/lib/db";
import { endSessions } from "@/lib/auth/login";
import { auditActorOf, loadActorBySession } from "@/lib/auth/session";
import { ipFrom } from "@/lib/http/request";

function headerGetter(h: unknown) {
  const rec = (h ?? {}) as Record<string, string | string[] | undefined>;
  return {
    get(name: string) {
      const v = rec[name] ?? rec[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : (v ?? null);
    },
  };
}

export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    // The JWT only carries an opaque session id; the UserSession row decides (lib/auth/session.ts).
    session: { strategy: "jwt", maxAge: 24 * 3600, updateAge: 0 },
    pages: { signIn: "/login", error: "/login" },
    useSecureCookies: secureCookies(),
    cookies: {
      sessionToken: {
        name: sessionCookieName(),
        options: { httpOnly: true, sameSite: "lax", path: "/", secure: secureCookies(), maxAge: 24 * 3600 },
      },
    },
    providers: [
      CredentialsProvider({
        name: "credentials",
        credentials: { username: { label: "用户名", type: "text" }, password: { label: "密码", type: "password" } },
        async authorize(credentials, req) {
          const h = headerGetter(req?.headers);
          const result = await signIn(
            { username: credentials?.username, password: credentials?.password },
            { ip: ipFrom(h) ?? "127.0.0.1", userAgent: h.get("user-agent")?.slice(0, 500) ?? null },
          );
          if (!result.ok) throw new Error(result.code);
          return { id: result.userId, sid: result.sessionId };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user && "sid" in user) return { sid: (user as { sid: string }).sid, sub: user.id };
        return token;
      },
      async session({ session, token }) {
        const actor = typeof token.sid === "string" ? await loadActorBySession(token.sid) : null;
        if (!actor) return { expires: session.expires };
        return {
          expires: session.expires,
          user: { name: actor.name, username: actor.username, roles: actor.roles.map((r) => r.role) },
        } as typeof session;
      },
    },
    events: {
      async signOut({ token }) {
        const sid = typeof token?.sid === "string" ? token.sid : null;
        if (!sid) return;
        const actor = await loadActorBySession(sid);
        const s = await db().userSession.findUnique({ where: { id: sid }, include: { user: { include: { department: true } } } });
        if (!s) return;
        // the same actor columns as every other event (role names in Chinese), when the session still resolves
        const who = actor
          ? { ...auditActorOf(actor), ip: actor.ip ?? s.ip, userAgent: actor.userAgent ?? s.userAgent }
          : { id: s.userId, name: `${s.user.name}(${s.user.username})`, role: "-", dept: s.user.department.name, ip: s.ip, userAgent: s.userAgent };
        await withTx((tx) => endSessions(tx, { sessionId: sid }, "LOGOUT", who));
      },
    },
  };
}
