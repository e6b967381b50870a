import type { Routes } from '@angular/router';
import { roleGuard, authGuard } from './core/guards';

export const routes: Routes = [
  {
    path: 'login',
    loadComponent: () => import('./features/login/login').then((m) => m.Login),
    title: 'Sign in · Taskdeck',
  },
  {
    path: '',
    canActivate: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'tasks' },
      {
        path: 'tasks',
        loadComponent: () => import('./features/tasks/task-list/task-list').then((m) => m.TaskList),
        title: 'Tasks · Taskdeck',
      },
      {
        path: 'tasks/new',
        canActivate: [roleGuard('operator')],
        loadComponent: () => import('./features/tasks/task-run/task-run').then((m) => m.TaskRun),
        title: 'Run a task · Taskdeck',
      },
      {
        path: 'tasks/:id',
        loadComponent: () =>
          import('./features/tasks/task-detail/task-detail').then((m) => m.TaskDetail),
        title: 'Task · Taskdeck',
      },
      {
        path: 'environments',
        loadComponent: () =>
          import('./features/environments/environments').then((m) => m.Environments),
        title: 'Environments · Taskdeck',
      },
      {
        path: 'storage',
        loadComponent: () => import('./features/storage/storage').then((m) => m.Storage),
        title: 'Storage · Taskdeck',
      },
      {
        path: 'migration',
        loadComponent: () => import('./features/migration/migration').then((m) => m.Migration),
        title: 'Migration · Taskdeck',
      },
      {
        path: 'connections',
        loadComponent: () =>
          import('./features/connections/connections').then((m) => m.Connections),
        title: 'Connections · Taskdeck',
      },
      {
        path: 'repositories',
        loadComponent: () =>
          import('./features/repositories/repositories').then((m) => m.Repositories),
        title: 'Repositories · Taskdeck',
      },
      {
        path: 'repositories/:id',
        loadComponent: () => import('./features/repositories/repository').then((m) => m.Repository),
        title: 'Repository · Taskdeck',
      },
      {
        path: 'llm-providers',
        loadComponent: () =>
          import('./features/llm-providers/llm-providers').then((m) => m.LlmProviders),
        title: 'LLM providers · Taskdeck',
      },
      {
        path: 'admin/settings',
        canActivate: [roleGuard('admin')],
        loadComponent: () => import('./features/admin/settings').then((m) => m.Settings),
        title: 'Settings · Taskdeck',
      },
      {
        path: 'admin/users',
        canActivate: [roleGuard('admin')],
        loadComponent: () => import('./features/admin/users').then((m) => m.Users),
        title: 'Users · Taskdeck',
      },
      {
        path: 'account/password',
        loadComponent: () => import('./features/account/password').then((m) => m.Password),
        title: 'Your password · Taskdeck',
      },
    ],
  },
  { path: '**', redirectTo: 'tasks' },
];
