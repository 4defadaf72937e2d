/**
 * Setup of every jest project: fast-check runs with one fixed seed unless a
 * property names its own, so a property test checks the same cases on every
 * run and machine (a failure prints its seed and path to replay it).
 */
import fc from 'fast-check';

fc.configureGlobal({ seed: 20261207 });
