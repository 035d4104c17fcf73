// The city map, its side panels and the layers every map draws (see ../index.ts for how they are read).
import { defineMessages } from '../define';

export default defineMessages({
}, {
});
