// Reads a session's live stream (Server-Sent Events) as the page does: each event's name and its data.
import { request, type IncomingMessage } from 'node:http';

/** Opens `url` and calls `onEvent` for every event with data; resolves with the response (destroy it to stop). */
export function readLive(url: string, onEvent: (event: string, data: unknown) => void): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
        for (let end = text.indexOf('\n\n'); end !== -1; end = text.indexOf('\n\n')) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const event = /^event: (\S+)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) onEvent(event, JSON.parse(data));
        }
      });
      resolve(res);
    })
      .on('error', reject)
      .end();
  });
}
