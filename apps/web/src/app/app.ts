// The shell: a top bar with role-aware navigation and the signed-in user, and the routed page.
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { Auth } from './core/auth';

@Component({
  selector: 'td-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatButtonModule],
  template: `
    @if (auth.user(); as user) {
      <a class="skip" href="#main">Skip to content</a>
      <header class="bar">
        <a class="brand" routerLink="/tasks">Taskdeck</a>
        <nav aria-label="Main">
          <a
            routerLink="/tasks"
            routerLinkActive="active"
            [routerLinkActiveOptions]="{ exact: true }"
            data-testid="nav-tasks"
            >Tasks</a
          >
          @if (auth.can('operator')) {
            <a routerLink="/tasks/new" routerLinkActive="active" data-testid="nav-run"
              >Run a task</a
            >
          }
          <a routerLink="/environments" routerLinkActive="active" data-testid="nav-environments"
            >Environments</a
          >
          <a routerLink="/migration" routerLinkActive="active" data-testid="nav-migration"
            >Migration</a
          >
          <a routerLink="/storage" routerLinkActive="active" data-testid="nav-storage">Storage</a>
          <a routerLink="/connections" routerLinkActive="active" data-testid="nav-connections"
            >Connections</a
          >
          <a routerLink="/repositories" routerLinkActive="active" data-testid="nav-repositories"
            >Repositories</a
          >
          <a routerLink="/llm-providers" routerLinkActive="active" data-testid="nav-llm-providers"
            >LLM providers</a
          >
          @if (auth.can('admin')) {
            <a routerLink="/admin/settings" routerLinkActive="active" data-testid="nav-settings"
              >Settings</a
            >
            <a routerLink="/admin/users" routerLinkActive="active" data-testid="nav-users">Users</a>
          }
        </nav>
        <span class="td-spacer"></span>
        <a
          class="user"
          routerLink="/account/password"
          title="Change your password"
          data-testid="current-user"
          >{{ user.username }} <span class="role">{{ user.role }}</span></a
        >
        <button mat-button type="button" data-testid="logout" (click)="auth.logout()">
          Sign out
        </button>
      </header>
      <main id="main" class="page"><router-outlet /></main>
    } @else {
      <router-outlet />
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100vh;
    }
    .skip {
      position: absolute;
      left: -999px;
    }
    .skip:focus {
      left: 0.5rem;
      top: 0.5rem;
      z-index: 10;
      background: #fff;
      padding: 0.25rem 0.5rem;
    }
    .bar {
      display: flex;
      align-items: center;
      gap: 1.25rem;
      padding: 0.4rem 1rem;
      background: #1f2937;
      color: #f9fafb;
      flex-wrap: wrap;
    }
    .brand {
      color: #fff;
      font-weight: 700;
      font-size: 1.05rem;
      text-decoration: none;
    }
    nav {
      display: flex;
      gap: 0.25rem;
      flex-wrap: wrap;
    }
    nav a {
      color: #e5e7eb;
      text-decoration: none;
      padding: 0.35rem 0.6rem;
      border-radius: 6px;
    }
    nav a:hover,
    nav a:focus-visible {
      background: #374151;
    }
    nav a.active {
      background: #374151;
      color: #fff;
      font-weight: 600;
    }
    .user {
      font-size: 0.9rem;
      color: inherit;
      text-decoration: none;
    }
    .role {
      font-size: 0.75rem;
      background: #374151;
      padding: 0.05rem 0.4rem;
      border-radius: 4px;
      margin-left: 0.25rem;
    }
    .bar button {
      color: #f9fafb;
    }
    .page {
      flex: 1;
      display: flex;
      flex-direction: column;
      padding: 1rem 1.25rem;
      min-width: 0;
      box-sizing: border-box;
    }
    @media (max-width: 640px) {
      .page {
        padding: 0.75rem;
      }
      .bar {
        gap: 0.5rem;
      }
    }
  `,
})
export class App {
  protected readonly auth = inject(Auth);
}
