import { Type } from "typebox";
import { Email, SiteGrant, SiteRole } from "./auth.ts";

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Instant = Type.String({ format: "date-time" });

export const AdminUserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  instanceAdmin: Type.Boolean(),
  disabled: Type.Boolean(),
  sites: Type.Record(Type.String(), SiteRole, { description: "role by site id" }),
  createdAt: Instant,
  updatedAt: Instant,
});

export const UserList = Type.Object({ users: Type.Array(AdminUserView) });

export const UserParams = Type.Object({ id: Id }, { additionalProperties: false });

export const UpdateUserBody = Type.Object(
  {
    instanceAdmin: Type.Optional(Type.Boolean()),
    disabled: Type.Optional(
      Type.Boolean({ description: "true ends every session of the user at its next request" }),
    ),
  },
  { additionalProperties: false, minProperties: 1, description: "the fields to change" },
);

export const LinkView = Type.Object({
  url: Type.String({
    description:
      "the one-time link to hand over; its token is after `#`, so it never reaches a server log",
  }),
  expiresAt: Instant,
});

export const InvitationBody = Type.Object(
  {
    email: Email,
    instanceAdmin: Type.Optional(
      Type.Boolean({ description: "only an instance admin may invite one (default false)" }),
    ),
    sites: Type.Array(SiteGrant, {
      maxItems: 200,
      description: "a role per site; may be empty only for an instance admin",
    }),
  },
  { additionalProperties: false },
);

export const InvitationView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  instanceAdmin: Type.Boolean(),
  sites: Type.Array(SiteGrant),
  createdAt: Instant,
  createdBy: Type.String({ description: "the inviter's email" }),
  expiresAt: Instant,
});

export const InvitationCreated = Type.Object({
  ...InvitationView.properties,
  url: Type.String({
    description:
      "the one-time link to send to the invitee (shown once: only its hash is kept); the token is after `#`",
  }),
});

export const InvitationList = Type.Object({ invitations: Type.Array(InvitationView) });
export const InvitationParams = Type.Object({ id: Id }, { additionalProperties: false });

export const MemberView = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  role: SiteRole,
  disabled: Type.Boolean(),
});
export const MemberList = Type.Object({ members: Type.Array(MemberView) });

export const AddMemberBody = Type.Object(
  { email: Email, role: SiteRole },
  { additionalProperties: false },
);
export const SetRoleBody = Type.Object({ role: SiteRole }, { additionalProperties: false });

export const Deleted = Type.Object({ id: Type.String(), deleted: Type.Literal(true) });
export const SessionsEnded = Type.Object({ id: Type.String(), sessionsEnded: Type.Integer() });

const AuditValue = Type.Union([
  Type.String(),
  Type.Number(),
  Type.Boolean(),
  Type.Null(),
  Type.Array(Type.String()),
]);

export const AuditEntryView = Type.Object({
  id: Type.String(),
  at: Instant,
  actor: Type.Union([Type.Object({ id: Type.String(), email: Type.String() }), Type.Null()], {
    description: "null: Sightline itself",
  }),
  action: Type.String({ description: "thing.verb: user.disabled, site.deleted, …" }),
  target: Type.Object({
    type: Type.String(),
    id: Type.String(),
    label: Type.Optional(Type.String()),
  }),
  site: Type.Optional(Type.String()),
  details: Type.Record(Type.String(), AuditValue),
});

export const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    before: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: "the `next` of the previous page" }),
    ),
  },
  { additionalProperties: false },
);

export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntryView, { description: "newest first" }),
  next: Type.Union([Type.String(), Type.Null()], {
    description: "`before` of the next (older) page; null on the last",
  }),
});
