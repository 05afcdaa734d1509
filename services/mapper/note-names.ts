export { noteName } from '../../shared/note-names.js';
