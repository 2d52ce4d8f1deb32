import { formatInstant } from "../lib/format.ts";
import { CopyBlock } from "../ui/CopyBlock.tsx";

/** A link shown once (an invitation, a password reset): copy it now, it cannot be shown again. */
export function OneTimeLink({
  label,
  url,
  expiresAt,
  onDone,
  testId,
}: {
  label: string;
  url: string;
  expiresAt: string;
  onDone: () => void;
  testId?: string;
}) {
  return (
    <div className="one-time-link" role="status">
      <p>
        <strong>{label}</strong> Copy it now and send it yourself: Sightline keeps only a hash and
        cannot show it again. It works once, until {formatInstant(expiresAt)}.
      </p>
      <CopyBlock label={label} text={url} testId={testId} />
      <div className="form-actions form-actions-start">
        <button type="button" className="button button-secondary button-small" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
