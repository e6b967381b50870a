import { InvalidSettingError } from './env';
import { instanceRole, runsTasks, tasksConfig } from './tasks.config';

describe('tasks configuration', () => {
  it('reads TASKDECK_ROLE, all by default, and names it when it is wrong', () => {
    expect(instanceRole({})).toBe('all');
    expect(instanceRole({ TASKDECK_ROLE: ' worker ' })).toBe('worker');
    expect(instanceRole({ TASKDECK_ROLE: 'api' })).toBe('api');
    for (const value of ['Worker', 'both', 'api,worker']) {
      expect(() => instanceRole({ TASKDECK_ROLE: value })).toThrow(InvalidSettingError);
      expect(() => instanceRole({ TASKDECK_ROLE: value })).toThrow(
        `Invalid setting TASKDECK_ROLE="${value}": expected one of all, api, worker`,
      );
    }
  });

  it('runs tasks on every role but api', () => {
    expect([runsTasks('all'), runsTasks('worker'), runsTasks('api')]).toEqual([true, true, false]);
  });

  it('bounds the job heartbeat (pg-boss needs at least 10 s)', () => {
    const saved = process.env.TASK_HEARTBEAT_SECONDS;
    try {
      delete process.env.TASK_HEARTBEAT_SECONDS;
      expect(tasksConfig().heartbeatSeconds).toBe(30);
      process.env.TASK_HEARTBEAT_SECONDS = '9';
      expect(() => tasksConfig()).toThrow(
        /TASK_HEARTBEAT_SECONDS="9": expected an integer from 10/,
      );
    } finally {
      if (saved === undefined) delete process.env.TASK_HEARTBEAT_SECONDS;
      else process.env.TASK_HEARTBEAT_SECONDS = saved;
    }
  });
});
