// The module graph's rules, checked by `npm run check` (and on its own: `npm run check:deps`).
// docs/architecture.md ("The map") says why each arrow is forbidden.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle: one of its arrows should point the other way (or through an event).',
      from: { path: '^(apps|libs)/' },
      to: { circular: true },
    },
    {
      name: 'task-log-knows-no-tasks',
      severity: 'error',
      comment:
        'task-log stores and reads logs by task id only; whoever needs a task asks the task manager, and the live stream reads from task-log, not the reverse.',
      from: { path: '^apps/api/src/task-log/' },
      to: { path: '^apps/api/src/(task-manager|live)/' },
    },
    {
      name: 'settings-knows-no-plugins',
      severity: 'error',
      comment:
        'Settings are read by plugins, never the reverse (belief scopes live in plugin-api).',
      from: { path: '^apps/api/src/settings/' },
      to: { path: '^apps/api/src/plugins/' },
    },
    {
      name: 'plugin-api-stands-alone',
      severity: 'error',
      comment: 'What a plugin author imports depends on nothing of the server but the contracts.',
      from: { path: '^apps/api/src/plugin-api/' },
      to: { path: '^apps/api/src/', pathNot: '^apps/api/src/plugin-api/' },
    },
    {
      name: 'web-never-imports-api',
      severity: 'error',
      comment:
        'The console talks to the API over HTTP and shares types through @taskdeck/contracts.',
      from: { path: '^apps/web/' },
      to: { path: '^apps/api/' },
    },
    {
      name: 'api-never-imports-web',
      severity: 'error',
      from: { path: '^apps/api/' },
      to: { path: '^apps/web/' },
    },
    {
      name: 'contracts-import-no-app',
      severity: 'error',
      comment: 'libs/contracts stays framework-free: no app code, no Nest, no Angular.',
      from: { path: '^libs/contracts/' },
      to: { path: ['^apps/', '@nestjs', '@angular', 'typeorm', 'class-validator'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)node_modules/', '^dist/', '\\.angular/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
