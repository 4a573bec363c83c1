// The project's tests use the SMTP test server hosts get from `mailwright/testing`.
export * from '../../src/testing/smtp-test-server.js';
