/**
 * Setup file of the `e2e:http` jest project: the e2e harness creates every
 * client on axios's Node `http` adapter. Jest gives each test file its own
 * copy of process.env, so this does not leak into the other projects.
 */
process.env.OBS_TEST_ADAPTER = 'http';
