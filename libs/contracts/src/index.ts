// Public surface of @taskdeck/contracts: types shared by the API and the web console.
export * from './levels';
export * from './roles';
export * from './tasks';
export * from './logs';
export * from './auth';
export * from './settings';
export * from './socket';
export * from './environments';
export * from './refs';
export * from './connections';
export * from './migration';
export * from './search';
export * from './mapper';
export * from './schedules';
export * from './storage';
export * from './backup';
