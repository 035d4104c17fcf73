// The command screens' texts (see ../index.ts for how they are read).
import { defineMessages } from '../define';

export default defineMessages({
}, {
});
