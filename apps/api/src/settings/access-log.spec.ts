import { accessLogLevel } from './access-log';

describe('accessLogLevel', () => {
  const id = '7d1f6f0e-6f0a-4b8e-9c59-1f2d3c4b5a69';

  it.each([
    '/api/auth/me',
    '/api/tasks',
    '/api/tasks?status=RUNNING&limit=50',
    `/api/tasks/${id}`,
    `/api/tasks/${id}/logs`,
    `/api/tasks/${id}/logs?limit=100&afterSeq=900000`,
    `/api/tasks/${id}/logs/stats`,
    `/api/tasks/${id}/logs/sources`,
  ])('successful GET %s: DEBUG', (url) => {
    expect(accessLogLevel('GET', url, 200)).toBe('debug');
    expect(accessLogLevel('HEAD', url, 304)).toBe('debug');
  });

  it.each([
    ['GET', `/api/tasks/${id}/logs/download?format=text`, 200],
    ['GET', '/api/users', 200],
    ['GET', '/api/settings/logging', 200],
    ['GET', '/api/auth/meow', 404],
    ['GET', `/api/tasks/${id}/logs/stats/more`, 404],
    ['POST', '/api/tasks', 201],
    ['POST', `/api/tasks/${id}/cancel`, 200],
    ['PATCH', '/api/settings/logging', 200],
    ['POST', '/api/auth/login', 200],
    ['GET', '/api/auth/me', 401],
    ['GET', `/api/tasks/${id}/logs?limit=0`, 400],
    ['GET', `/api/tasks/${id}`, 404],
    ['GET', `/api/tasks/${id}/logs`, 500],
    ['GET', '/', 200],
  ] as const)('%s %s → %i: INFO', (method, url, status) => {
    expect(accessLogLevel(method, url, status)).toBe('info');
  });
});
