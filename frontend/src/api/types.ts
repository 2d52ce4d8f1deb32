// Response shapes of the backend's /api/v1 routes used by the dashboard.

export type Role = "admin" | "viewer";

export interface User {
  email: string;
  role: Role;
}

export interface AuthStatus {
  setupRequired: boolean;
}

export interface AuthResponse {
  token: string;
  user: User;
}

export interface Site {
  id: string;
  name: string;
  domains: string[];
}

export interface SitesResponse {
  sites: Site[];
}

export interface DailyPoint {
  date: string;
  pageviews: number;
  visitors: number;
}

export interface DailyStats {
  site: string;
  from: string;
  to: string;
  tz: string;
  totals: { pageviews: number; visitors: number };
  days: DailyPoint[];
}

/** The backend's error body: `message` is the text meant for people. */
export interface ApiErrorBody {
  statusCode?: number;
  code?: string;
  error?: string;
  message?: string;
}
