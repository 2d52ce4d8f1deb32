import { ApiError, errorMessage } from "../api/client.ts";
import { MIN_PASSWORD_LENGTH } from "./SetupForm.tsx";

/**
 * The server's word on a password, for people: "body/newPassword: is too easy to guess: …" reads
 * "The new password is too easy to guess: …". Other errors keep their own message.
 */
export function passwordErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const why = error.message.replace(/^body\/\w+: /, "");
    if (error.code === "WEAK_PASSWORD") return `The new password ${why}.`.replace(/\.\.$/, ".");
    if (error.code === "WRONG_PASSWORD") return "The current password is not right.";
  }
  return errorMessage(error);
}

/** What is wrong with a new password before the server is asked, or null. */
export function localPasswordProblem(password: string, confirm: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `The new password must be at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password !== confirm) return "The two new passwords do not match.";
  return null;
}

/** A new password and its confirmation; the server says why one is too easy to guess. */
export function NewPasswordFields({
  idPrefix,
  password,
  confirm,
  onPassword,
  onConfirm,
  label = "New password",
}: {
  idPrefix: string;
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  label?: string;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-new`}>{label}</label>
        <input
          id={`${idPrefix}-new`}
          name="new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          aria-describedby={`${idPrefix}-new-hint`}
          value={password}
          onChange={(e) => onPassword(e.target.value)}
        />
        <span id={`${idPrefix}-new-hint`} className="hint">
          At least {MIN_PASSWORD_LENGTH} characters, not a common word, name, pattern or date. A few
          unrelated words make a good one.
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-confirm`}>Repeat the new password</label>
        <input
          id={`${idPrefix}-confirm`}
          name="confirm-password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => onConfirm(e.target.value)}
        />
      </div>
    </>
  );
}
