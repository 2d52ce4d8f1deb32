import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client.ts";
import { localPasswordProblem, passwordErrorMessage } from "./NewPasswordFields.tsx";

describe("new passwords", () => {
  it("checks length and the repeat before asking the server", () => {
    expect(localPasswordProblem("short", "short")).toMatch(/at least 12/);
    expect(localPasswordProblem("long enough pass", "long enough pas")).toMatch(/do not match/);
    expect(localPasswordProblem("long enough pass", "long enough pass")).toBe(null);
  });

  it("says the server's reason in plain words", () => {
    const weak = new ApiError(
      400,
      "WEAK_PASSWORD",
      "body/newPassword: is too easy to guess: it is a common password. A few unrelated words make a strong password",
    );
    expect(passwordErrorMessage(weak)).toBe(
      "The new password is too easy to guess: it is a common password. A few unrelated words make a strong password.",
    );
    const wrong = new ApiError(400, "WRONG_PASSWORD", "body/currentPassword: this is not it");
    expect(passwordErrorMessage(wrong)).toBe("The current password is not right.");
    expect(passwordErrorMessage(new ApiError(429, "TOO_MANY", "Wait 3 s."))).toBe("Wait 3 s.");
  });
});
