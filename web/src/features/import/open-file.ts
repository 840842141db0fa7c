import { errorMessage, importFile } from '../../api/client.ts';
import { formatCount } from '../../components/format.ts';
import { useLabStore } from '../../store/index.ts';

/** The largest file the lab opens (server/src/api/import.ts). */
export const MAX_FILE_BYTES = 128 * 1024 * 1024;

/**
 * Opens a transcript (.json, as Export saves it) or a HAR in a new read-only session, and
 * shows it: the page moves to that session (Back returns to the one before).
 */
export async function openFile(file: File): Promise<void> {
  const { setFileNotice, setSession } = useLabStore.getState();
  if (file.size > MAX_FILE_BYTES) {
    setFileNotice({ tone: 'error', text: `Could not open ${file.name}: it is ${(file.size / 1024 / 1024).toFixed(0)} MiB; the lab opens files up to 128 MiB.` });
    return;
  }
  setFileNotice({ tone: 'info', text: `Opening ${file.name}…` });
  try {
    const opened = await importFile(file, file.name);
    setSession(opened.id);
    const what = opened.from === 'har' ? 'HAR' : 'transcript';
    setFileNotice({ tone: 'info', text: `Opened ${file.name} (${what}): ${formatCount(opened.connections)} connection${opened.connections === 1 ? '' : 's'}, ${formatCount(opened.events)} events, read-only.` });
  } catch (error) {
    setFileNotice({ tone: 'error', text: `Could not open ${file.name}: ${errorMessage(error)}` });
  }
}
