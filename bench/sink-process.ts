import { startDemoSmtpSink } from '../examples/support/demo-smtp-sink.js';

// A local SMTP sink in its own process (started by a benchmark), so the benchmark's
// memory figures are mailwright's alone, as they would be with a real mail server.
const sink = await startDemoSmtpSink();
process.send?.({ port: sink.port });
process.on('disconnect', () => void sink.close().then(() => process.exit(0)));
