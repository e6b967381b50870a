import { SUPERVISE_SECONDS } from '../queue/queue-options';
import {
  FAILED_TASKS_QUEUE,
  attemptLabel,
  attemptOf,
  deadWorkerBoundSeconds,
  taskJobOptions,
  tasksQueueSettings,
} from './task-job-options';

describe('task jobs', () => {
  it('retries nothing unless the plugin is retryable, then with exponential back-off', () => {
    expect(taskJobOptions('j1', null)).toEqual({ id: 'j1', retryLimit: 0 });
    expect(taskJobOptions('j2', { attempts: 3 })).toEqual({
      id: 'j2',
      retryLimit: 2,
      retryDelay: 10,
      retryBackoff: true,
      retryDelayMax: 600,
    });
    expect(
      taskJobOptions('j3', { attempts: 2, delaySeconds: 1, maxDelaySeconds: 4 }),
    ).toMatchObject({ retryLimit: 1, retryDelay: 1, retryDelayMax: 4 });
  });

  it('numbers attempts from the job and labels only retryable ones', () => {
    expect(attemptOf({ retryCount: 0, retryLimit: 0 })).toEqual({ number: 1, of: 1 });
    expect(attemptOf({ retryCount: 2, retryLimit: 2 })).toEqual({ number: 3, of: 3 });
    expect(attemptLabel({ number: 1, of: 1 })).toBe('');
    expect(attemptLabel({ number: 2, of: 3 })).toBe(' (attempt 2 of 3)');
  });

  it('dead-letters task jobs, with the heartbeat the bound is made of', () => {
    expect(tasksQueueSettings(30)).toMatchObject({
      heartbeatSeconds: 30,
      retryLimit: 0,
      deadLetter: FAILED_TASKS_QUEUE,
      notify: true,
    });
    expect(deadWorkerBoundSeconds(30)).toBe(30 + SUPERVISE_SECONDS + 1 + 10);
  });
});
