/**
 * @module
 * Error messages a person can act on, for every schema in `contract/`.
 * Imported by each schema module, so the server and the widget say the same.
 */
import { z } from 'zod';

z.config({
  customError: (issue) => (issue.input === undefined && issue.code === 'invalid_type' ? 'Required' : undefined),
});
