// A real OpenID provider for tests (the npm oidc-provider), on 127.0.0.1 and a free port, with
// one confidential client that must use PKCE, people with emails and groups, and a person at the
// provider's login page who signs in as whoever the test names (its development interactions,
// driven over HTTP). Nothing about the provider is mocked.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

export interface Person {
  email?: string;
  email_verified?: boolean;
  groups?: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Authorization codes live this many seconds from now on (the provider's ttl). */
  setCodeTtl(seconds: number): void;
  /**
   * Follows the provider's redirects from `authorizationUrl`, signs in as `account` at its login
   * page and agrees to its consent page: the URL the provider sends the browser back to.
   */
  signIn(authorizationUrl: string, account: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startProvider(options: {
  /** A function when the relying party's address is known only after the provider's. */
  redirectUri: string | (() => string);
  people: Record<string, Person>;
}): Promise<TestProvider> {
  const clientId = "sightline-test";
  const clientSecret = "a client secret only this test knows";
  let codeTtl = 60;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Made at the first request: the client's redirect URI is known by then.
  const configure = (redirectUri: string): Configuration => ({
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { required: () => true },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      groups: ["groups"],
    },
    scopes: ["openid", "email", "groups", "offline_access"],
    findAccount: async (_ctx, id) => {
      const person = options.people[id];
      if (!person) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...person }) };
    },
    ttl: { AuthorizationCode: () => codeTtl },
    cookies: { keys: ["a cookie key only this test knows"] },
    features: { devInteractions: { enabled: true } },
  });
  let handler: ReturnType<Provider["callback"]> | null = null;
  server.on("request", (req, res) => {
    if (!handler) {
      const uri =
        typeof options.redirectUri === "string" ? options.redirectUri : options.redirectUri();
      handler = new Provider(issuer, configure(uri)).callback();
    }
    void handler(req, res);
  });

  async function signIn(authorizationUrl: string, account: string): Promise<URL> {
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const keep = (response: Response) => {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(";");
        const at = pair?.indexOf("=") ?? -1;
        if (!pair || at < 0) continue;
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
    };
    let url = new URL(authorizationUrl);
    let body: URLSearchParams | undefined;
    for (let hop = 0; hop < 20; hop++) {
      const response = await fetch(url, {
        method: body ? "POST" : "GET",
        redirect: "manual",
        headers: {
          cookie: cookieHeader(),
          ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        ...(body ? { body: body.toString() } : {}),
      });
      keep(response);
      body = undefined;
      const location = response.headers.get("location");
      if (location) {
        await response.arrayBuffer();
        const next = new URL(location, url);
        if (next.origin !== issuer) return next;
        url = next;
        continue;
      }
      const html = await response.text();
      if (response.status !== 200) {
        throw new Error(`provider answered ${response.status} at ${url.pathname}: ${html}`);
      }
      // A development interaction page: the login form, or the consent form.
      body = html.includes('name="login"')
        ? new URLSearchParams({ prompt: "login", login: account, password: "any" })
        : new URLSearchParams({ prompt: "consent" });
      const action = /<form[^>]* action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`no form on the provider's page ${url.pathname}: ${html}`);
      url = new URL(action.replaceAll("&amp;", "&"), url);
    }
    throw new Error("the provider kept redirecting");
  }

  return {
    issuer,
    clientId,
    clientSecret,
    setCodeTtl(seconds) {
      codeTtl = seconds;
    },
    signIn,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
