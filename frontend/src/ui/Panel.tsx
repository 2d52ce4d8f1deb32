import type { ReactNode } from "react";
import { errorMessage } from "../api/client.ts";
import { ErrorNotice, Loading } from "./Notice.tsx";

interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  isPlaceholderData?: boolean;
  isFetching?: boolean;
  refetch: () => unknown;
}

/**
 * The states every panel has of its own: loading, error (with a retry), and stale while a new
 * range loads (the old numbers stay, dimmed). `children` draws the data.
 */
export function QueryState({
  query,
  children,
  loadingText = "Loading…",
}: {
  query: QueryLike;
  children: () => ReactNode;
  loadingText?: string;
}) {
  if (query.isPending) return <Loading>{loadingText}</Loading>;
  if (query.isError)
    return <ErrorNotice message={errorMessage(query.error)} onRetry={() => query.refetch()} />;
  return (
    <div className={query.isPlaceholderData ? "stale" : undefined} aria-busy={query.isFetching}>
      {children()}
    </div>
  );
}
