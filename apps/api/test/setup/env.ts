// Runs in every integration test file before it loads.
process.env.TZ = 'UTC';
process.env.NODE_ENV = 'test';
