import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import { useSites } from "../api/queries.ts";
import type { NewApiToken } from "../api/types.ts";
import { CopyBlock } from "../ui/CopyBlock.tsx";
import { ErrorNotice, Loading, Notice } from "../ui/Notice.tsx";
import { useCreateToken, useRevokeToken, useTokens, when } from "./sharingApi.ts";

type Scope = NewApiToken["scopes"][number];
const SCOPES: { key: Scope; label: string; hint: string }[] = [
  { key: "reports:read", label: "Read reports", hint: "reports, queries, exports and dashboards" },
  { key: "dashboards:manage", label: "Manage dashboards", hint: "create, change and delete them" },
  {
    key: "ingest:admin",
    label: "Ingest admin",
    hint: "domains, time zone, retention and tracker settings",
  },
];
const DAYS = [7, 30, 90, 180, 366];

/** Settings → API tokens: your tokens for scripts, made with their scopes, shown once, revoked. */
export default function TokensPage() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  return (
    <section className="card settings-card settings-page" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="muted">
        A token acts for you from a script: send it as <code>Authorization: Bearer …</code>. It
        reaches only the sites and scopes you give it, never more than your own role there, and
        stops when it expires, when you revoke it, or if your account is disabled.
      </p>
      <NewToken />
      <h3>Your tokens</h3>
      {revoke.isError && <ErrorNotice message={errorMessage(revoke.error)} />}
      {tokens.isPending ? (
        <Loading>Loading tokens…</Loading>
      ) : tokens.isError ? (
        <ErrorNotice message={errorMessage(tokens.error)} onRetry={() => tokens.refetch()} />
      ) : tokens.data.tokens.length === 0 ? (
        <Notice>You have no API tokens.</Notice>
      ) : (
        <div className="table-wrap">
          <table className="details-table" data-testid="tokens">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Sites</th>
                <th scope="col">Scopes</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>{t.sites.join(", ")}</td>
                  <td>{t.scopes.join(", ")}</td>
                  <td>{t.expired ? <span className="badge">expired</span> : when(t.expiresAt)}</td>
                  <td>{when(t.lastUsedAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      disabled={revoke.isPending}
                      onClick={() => {
                        if (window.confirm(`Revoke "${t.name}"? Scripts using it stop at once.`)) {
                          revoke.mutate(t.id);
                        }
                      }}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function NewToken() {
  const sites = useSites();
  const create = useCreateToken();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [scopes, setScopes] = useState<Scope[]>(["reports:read"]);
  const [days, setDays] = useState(90);
  const toggle = <T,>(list: T[], item: T) =>
    list.includes(item) ? list.filter((x) => x !== item) : [...list, item];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), sites: chosen, scopes, expiresInDays: days });
  };

  return (
    <form className="form settings-form" onSubmit={submit} aria-labelledby="new-token-title">
      <h3 id="new-token-title">New token</h3>
      {create.isError && <ErrorNotice message={errorMessage(create.error)} />}
      {create.data && (
        <div data-testid="token-secret">
          <Notice>Copy the token now: it is shown this once, and only its hash is kept.</Notice>
          <CopyBlock label="The new API token" text={create.data.secret} />
        </div>
      )}
      <div className="field">
        <label htmlFor="token-name">Name</label>
        <input
          id="token-name"
          required
          maxLength={100}
          placeholder="Nightly export"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <fieldset className="field">
        <legend>Sites</legend>
        {sites.data?.sites.map((s) => (
          <label key={s.id} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.includes(s.id)}
              onChange={() => setChosen(toggle(chosen, s.id))}
            />{" "}
            {s.name} <span className="muted">({s.id})</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="field">
        <legend>Scopes</legend>
        {SCOPES.map((s) => (
          <label key={s.key} className="checkbox">
            <input
              type="checkbox"
              checked={scopes.includes(s.key)}
              onChange={() => setScopes(toggle(scopes, s.key))}
            />{" "}
            {s.label} <span className="muted">({s.hint})</span>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="token-days">Expires after</label>
        <select id="token-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {DAYS.map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
      </div>
      <button
        type="submit"
        className="button"
        disabled={create.isPending || !chosen.length || !scopes.length || !name.trim()}
      >
        {create.isPending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}
