// The parts of Web Chat's prebuilt bundle (window.WebChat) this page uses.
export interface Subscription { unsubscribe(): void }
export interface Observable<T> { subscribe(next: (value: T) => void, error?: (e: unknown) => void): Subscription }

export interface DirectLine {
  conversationId?: string;
  token?: string;
  connectionStatus$: Observable<number>;
  end(): void;
}

export interface WebChatStore { dispatch(action: { type: string; payload?: unknown }): void }

export interface WebChatGlobal {
  createDirectLine(options: { domain: string; token: string; webSocket?: boolean; pollingInterval?: number }): DirectLine;
  createStore(initialState?: object, ...middleware: unknown[]): WebChatStore;
  renderWebChat(props: Record<string, unknown>, element: HTMLElement): void;
}

declare global {
  interface Window { WebChat?: WebChatGlobal }
}
