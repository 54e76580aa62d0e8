// The parts of the (untyped, CommonJS) `midtrans-client` package MinisPod uses.
declare module 'midtrans-client' {
	type ClientOptions = { isProduction: boolean; serverKey: string; clientKey?: string };

	interface ApiConfig {
		isProduction: boolean;
		serverKey: string;
		clientKey: string;
		getCoreApiBaseUrl(): string;
		getSnapApiBaseUrl(): string;
	}

	interface HttpClient {
		/** The axios instance the client sends requests with. */
		http_client: { defaults: { timeout?: number } };
	}

	interface Transaction {
		status(orderId: string): Promise<Record<string, unknown>>;
		cancel(orderId: string): Promise<Record<string, unknown>>;
	}

	interface SnapClient {
		apiConfig: ApiConfig;
		httpClient: HttpClient;
		transaction: Transaction;
		createTransaction(parameter: object): Promise<{ token: string; redirect_url: string }>;
	}

	interface CoreApiClient {
		apiConfig: ApiConfig;
		httpClient: HttpClient;
		transaction: Transaction;
	}

	interface MidtransErrorShape extends Error {
		httpStatusCode: number | string | null;
		ApiResponse: unknown;
		rawHttpClientData: unknown;
	}

	const midtransClient: {
		Snap: new (options: ClientOptions) => SnapClient;
		CoreApi: new (options: ClientOptions) => CoreApiClient;
		MidtransError: new (message: string) => MidtransErrorShape;
	};
	export default midtransClient;
}
