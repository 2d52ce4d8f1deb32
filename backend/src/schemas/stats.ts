import { type Static, Type } from "typebox";

const Day = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "a date, YYYY-MM-DD" });

export const DailyQuery = Type.Object(
  {
    site: Type.String({ minLength: 1, maxLength: 253 }),
    from: Day,
    to: Day,
    tz: Type.String({ default: "UTC", minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type DailyQuery = Static<typeof DailyQuery>;

const Counts = { pageviews: Type.Integer(), visitors: Type.Integer() };

export const DailyStats = Type.Object({
  site: Type.String(),
  from: Type.String(),
  to: Type.String(),
  tz: Type.String(),
  totals: Type.Object(Counts),
  days: Type.Array(Type.Object({ date: Type.String(), ...Counts })),
});
export type DailyStats = Static<typeof DailyStats>;
