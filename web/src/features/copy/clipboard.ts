import { useLabStore } from '../../store/index.ts';

/** Writes `text` to the clipboard: the async Clipboard API, or a selected textarea where it is missing or refused. */
export async function writeClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Not a secure context, or permission refused: fall back to the old way, which needs a user gesture.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('the browser refused to copy (allow clipboard access for this page, or select the text and press Ctrl+C)');
}

/** Copies and says so in the page's copy status (a polite live region), or says why not. */
export async function copyAndAnnounce(text: string, what: string): Promise<boolean> {
  const announce = useLabStore.getState().setCopyStatus;
  try {
    await writeClipboard(text);
    announce({ tone: 'info', text: `Copied ${what} to the clipboard.` });
    return true;
  } catch (error) {
    announce({ tone: 'error', text: `Could not copy ${what}: ${(error as Error).message}` });
    return false;
  }
}
