// The project's tests use the certificate maker hosts get from `mailwright/testing`.
export * from '../../src/testing/self-signed-cert.js';
