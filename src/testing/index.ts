// `mailwright/testing`: what a host application needs to test its own email code against a real
// SMTP server. Needs the optional peer dependencies smtp-server and selfsigned (dev dependencies
// of the host): `npm install --save-dev smtp-server selfsigned`.

export { startSmtpTestServer, type ReceivedMessage, type SmtpRule, type SmtpTestServer, type SmtpTestServerOptions } from './smtp-test-server.js';
export { selfSignedCertificate, type TestCertificate } from './self-signed-cert.js';
