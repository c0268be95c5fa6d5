import { createServer, Server, Socket } from "node:net";

/** The app delivers email to an SMTP sink that the email tests start on this port. */
export const smtpPort = Number(process.env.E2E_SMTP_PORT ?? "3125");

/** A message as the sink received it. */
export interface Received {
  to: string[];
  data: string;
}

/**
 * A small SMTP server for the browser tests: it speaks the protocol (EHLO, MAIL, RCPT, DATA with
 * dot-stuffing, RSET, NOOP, QUIT) and keeps what it receives, so a test can follow a link in an
 * email the app really sent.
 */
export class SmtpSink {
  readonly received: Received[] = [];
  private server: Server;
  private sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      this.converse(socket);
    });
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
  }

  /** Stops listening and drops the connections the app's mailer keeps open in its pool. */
  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    return closed;
  }

  /** Waits for a message to `address`, and returns it with quoted-printable line breaks undone. */
  async waitFor(address: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.received.find((m) => m.to.includes(address));
      if (found) return found.data.replace(/=\r\n/g, "").replace(/=3D/g, "=");
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no email to ${address} within ${timeoutMs} ms`);
  }

  private converse(socket: Socket) {
    let buffer = "";
    let inData = false;
    let data = "";
    let to: string[] = [];
    const reply = (line: string) => socket.write(line + "\r\n");
    reply("220 clientele-e2e-sink ESMTP");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      let end: number;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            this.received.push({ to, data });
            reply("250 OK: queued");
          } else {
            data += (line.startsWith(".") ? line.slice(1) : line) + "\r\n";
          }
          continue;
        }
        const verb = line.split(/[ :]/)[0].toUpperCase();
        if (verb === "EHLO") {
          reply("250-clientele-e2e-sink");
          reply("250 8BITMIME");
        } else if (verb === "HELO") reply("250 clientele-e2e-sink");
        else if (verb === "MAIL") {
          to = [];
          reply("250 OK");
        } else if (verb === "RCPT") {
          to.push(line.slice(line.indexOf("<") + 1, line.indexOf(">")));
          reply("250 OK");
        } else if (verb === "DATA") {
          inData = true;
          data = "";
          reply("354 End data with <CR><LF>.<CR><LF>");
        } else if (verb === "RSET" || verb === "NOOP") reply("250 OK");
        else if (verb === "QUIT") {
          reply("221 Bye");
          socket.end();
        } else reply("502 Command not implemented");
      }
    });
    socket.on("error", () => socket.destroy());
  }
}
