import type { ReactNode } from "react";

export function ErrorNotice({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ children }: { children: ReactNode }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {children}
    </p>
  );
}

/** A calm message in place of content (a range too long, nothing to show yet). */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="notice notice-info" role="note">
      {children}
    </div>
  );
}

/** What a panel says when its query answered with no rows: what that means and what to do. */
export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty-text">{children}</p>;
}
