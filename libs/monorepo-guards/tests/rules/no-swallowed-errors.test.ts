import { noSwallowedErrors } from '../../src/rules/no-swallowed-errors.js';
import { run } from './tester.js';

run('no-swallowed-errors', noSwallowedErrors, {
  valid: [
    'try { f(); } catch (error) { log.warn({ err: error }, "failed"); }',
    'try { f(); } catch (error) { if (!(error instanceof TypeError)) throw error; }',
    'try { f(); } catch { throw new Error("wrapped"); }',
    'try { f(); } catch {\n  // The file may be gone already; that is the state we want.\n}',
    'p.catch((error) => log.error(error));',
    'p.catch((error: unknown) => { throw new Wrapped(error); });',
    '// Best effort: the socket may be closed already.\np.catch(() => undefined);',
    'p.catch(() => undefined); // closing twice is fine',
    'p.catch(handleError);',
  ],
  invalid: [
    { code: 'try { f(); } catch (error) { return undefined; }', errors: [{ messageId: 'catchClause' }] },
    { code: 'try { f(); } catch {}', errors: [{ messageId: 'catchClause' }] },
    { code: 'try { f(); } catch { function g() { throw 1; } g; }', errors: [{ messageId: 'catchClause' }] },
    { code: 'p.catch(() => undefined);', errors: [{ messageId: 'catchCallback' }] },
    { code: 'p.catch((_error) => {});', errors: [{ messageId: 'catchCallback' }] },
    { code: 'p.then(f).catch(function () { return null; });', errors: [{ messageId: 'catchCallback' }] },
  ],
});
