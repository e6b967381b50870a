import type { Role } from './roles';

export interface User {
  id: string;
  username: string;
  role: Role;
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
