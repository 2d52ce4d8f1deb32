import { type FormEvent, useState } from "react";
import { errorMessage } from "../api/client.ts";
import { useSites } from "../api/queries.ts";
import type { NewShareLink } from "../api/types.ts";
import { useBoards } from "../boards/api.ts";
import { CopyBlock } from "../ui/CopyBlock.tsx";
import { ErrorNotice, Loading, Notice } from "../ui/Notice.tsx";
import { useCreateShare, useRevokeShare, useShares, when } from "./sharingApi.ts";

/** Settings → Share links: read-only links to a site's dashboard or a custom dashboard. */
export default function SharesPage() {
  const shares = useShares();
  const revoke = useRevokeShare();
  return (
    <section className="card settings-card settings-page" aria-labelledby="shares-title">
      <h2 id="shares-title">Share links</h2>
      <p className="muted">
        Anyone with a share link (and its password, if it has one) sees that one dashboard,
        read-only, without an account: no other site, no other report, no change. A link can be
        embedded in an iframe only on the pages you list.
      </p>
      <NewShare />
      <h3>Links</h3>
      {revoke.isError && <ErrorNotice message={errorMessage(revoke.error)} />}
      {shares.isPending ? (
        <Loading>Loading share links…</Loading>
      ) : shares.isError ? (
        <ErrorNotice message={errorMessage(shares.error)} onRetry={() => shares.refetch()} />
      ) : shares.data.shares.length === 0 ? (
        <Notice>No share links yet.</Notice>
      ) : (
        <div className="table-wrap">
          <table className="details-table" data-testid="shares">
            <thead>
              <tr>
                <th scope="col">Shows</th>
                <th scope="col">Password</th>
                <th scope="col">Embeddable on</th>
                <th scope="col">Expires</th>
                <th scope="col" className="num">
                  Views
                </th>
                <th scope="col">Made by</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shares.data.shares.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    {s.name}{" "}
                    <span className="muted">
                      ({s.kind === "site" ? `site ${s.target}` : "custom dashboard"})
                    </span>
                  </th>
                  <td>{s.hasPassword ? "yes" : "no"}</td>
                  <td>{s.frameAncestors.length ? s.frameAncestors.join(", ") : "nowhere"}</td>
                  <td>
                    {s.expired ? (
                      <span className="badge">expired</span>
                    ) : s.expiresAt ? (
                      when(s.expiresAt)
                    ) : (
                      "when revoked"
                    )}
                  </td>
                  <td className="num">{s.views.toLocaleString("en")}</td>
                  <td>{s.createdBy}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      disabled={revoke.isPending}
                      onClick={() => {
                        if (window.confirm(`Revoke the link to "${s.name}"? It stops at once.`)) {
                          revoke.mutate(s.id);
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

function NewShare() {
  const sites = useSites();
  const boards = useBoards();
  const create = useCreateShare();
  // "site:<id>" or "board:<id>"
  const [target, setTarget] = useState("");
  const [password, setPassword] = useState("");
  const [days, setDays] = useState("");
  const [origins, setOrigins] = useState("");

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const [kind, ...rest] = target.split(":");
    const id = rest.join(":");
    const frameAncestors = origins
      .split(/\s+/)
      .map((o) => o.trim())
      .filter(Boolean);
    const body: NewShareLink = {
      ...(kind === "site" ? { site: id } : { dashboard: id }),
      ...(password ? { password } : {}),
      ...(days ? { expiresInDays: Number(days) } : {}),
      ...(frameAncestors.length ? { frameAncestors } : {}),
    };
    create.mutate(body);
  };

  const url = create.data?.url;
  return (
    <form className="form settings-form" onSubmit={submit} aria-labelledby="new-share-title">
      <h3 id="new-share-title">New share link</h3>
      {create.isError && <ErrorNotice message={errorMessage(create.error)} />}
      {url && (
        <div data-testid="share-url">
          <Notice>Copy the link now: it is shown this once, and only its hash is kept.</Notice>
          <CopyBlock label="The share link" text={url} />
          <CopyBlock
            label="To embed it"
            text={`<iframe src="${url}" width="100%" height="800" style="border:0"></iframe>`}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor="share-target">Dashboard</label>
        <select
          id="share-target"
          required
          value={target}
          onChange={(e) => setTarget(e.target.value)}
        >
          <option value="">Choose…</option>
          <optgroup label="A site's dashboard">
            {sites.data?.sites.map((s) => (
              <option key={s.id} value={`site:${s.id}`}>
                {s.name} ({s.id})
              </option>
            ))}
          </optgroup>
          <optgroup label="A custom dashboard">
            {boards.data?.dashboards.map((b) => (
              <option key={b.id} value={`board:${b.id}`}>
                {b.name}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <div className="field">
        <label htmlFor="share-password">Password (optional, 8 characters or more)</label>
        <input
          id="share-password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="share-days">Expires</label>
        <select id="share-days" value={days} onChange={(e) => setDays(e.target.value)}>
          <option value="">When revoked</option>
          {[1, 7, 30, 90, 365].map((d) => (
            <option key={d} value={d}>
              After {d} day{d === 1 ? "" : "s"}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="share-origins">
          May be embedded on (origins, one per line; empty: nowhere)
        </label>
        <textarea
          id="share-origins"
          rows={2}
          placeholder="https://intranet.example.com"
          value={origins}
          onChange={(e) => setOrigins(e.target.value)}
        />
      </div>
      <button type="submit" className="button" disabled={create.isPending || !target}>
        {create.isPending ? "Creating…" : "Create link"}
      </button>
    </form>
  );
}
