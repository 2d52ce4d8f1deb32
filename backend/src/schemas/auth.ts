import { type Static, Type } from "typebox";

export const Email = Type.String({ format: "email", maxLength: 254 });
export const NewPassword = Type.String({ minLength: 12, maxLength: 1024 });

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const SetupBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }), email: Email, password: NewPassword },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;

export const UserView = Type.Object({
  email: Type.String(),
  role: Type.Union([Type.Literal("admin"), Type.Literal("viewer")]),
});

export const SessionView = Type.Object({ token: Type.String(), user: UserView });

export const AuthStatus = Type.Object({ setupRequired: Type.Boolean() });
