/**
 * Entry of a loader on a byte stream: `flamebench loader`, or this file run by node directly (the
 * default `load.loaderCommand: self` on hosts that share this installation's paths). stdout
 * carries protocol messages only; logs go to stderr.
 */
import { stdioEndpoint } from './loader-endpoint.js';
import { serveLoader } from './loader-session.js';

serveLoader(stdioEndpoint());
