import type { Role } from './roles';

export interface User {
  id: string;
  username: string;
  role: Role;
  /** A disabled user cannot sign in, and their tokens no longer work. */
  disabled: boolean;
  createdAt: string;
}

/** What `GET /api/auth/me` returns. */
export interface Me {
  id: string;
  username: string;
  role: Role;
}

export interface LoginRequest {
  username: string;
  password: string;
}

export interface LoginResponse {
  accessToken: string;
  user: Me;
}

export interface CreateUserRequest {
  username: string;
  password: string;
  role: Role;
}

/** Nest's error shape. */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string | string[];
}

/** `PATCH /api/users/:id` (admin): any of these. A new password or `disabled: true` ends the
 * user's sessions at once; a role change applies at once. */
export interface UpdateUserRequest {
  role?: Role;
  disabled?: boolean;
  password?: string;
}

/** `POST /api/auth/password`: change your own password. */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}
