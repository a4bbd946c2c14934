export const id = 713;
export const ids = [713];
export const modules = {

/***/ 713:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubSecretsClient: () => (/* reexport */ GitHubSecretsClient),
  create: () => (/* reexport */ create),
  rotate: () => (/* reexport */ rotate)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 9 modules
var core = __webpack_require__(584);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(157);
// EXTERNAL MODULE: ./src/cancellation.ts
var src_cancellation = __webpack_require__(632);
// EXTERNAL MODULE: ./src/redaction.ts
var redaction = __webpack_require__(66);
// EXTERNAL MODULE: ./src/http/http-error.ts
var http_error = __webpack_require__(161);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(942);
;// CONCATENATED MODULE: ./src/concurrency.ts
/**
 * Runs `task` over `items` with at most `limit` in flight, settling every one (like
 * Promise.allSettled), in the order of `items`.
 */
async function settleWithLimit(items, limit, task) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            try {
                results[index] = { status: 'fulfilled', value: await task(items[index], index) };
            }
            catch (reason) {
                results[index] = { status: 'rejected', reason };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
/** Runs tasks with at most `limit` of them in flight; the others wait their turn, in order. */
class Limiter {
    limit;
    running = 0;
    waiting = [];
    constructor(limit) {
        this.limit = limit;
    }
    async run(task) {
        if (this.running >= this.limit)
            await new Promise((resolve) => this.waiting.push(resolve));
        this.running++;
        try {
            return await task();
        }
        finally {
            this.running--;
            this.waiting.shift()?.();
        }
    }
}

// EXTERNAL MODULE: ./src/http/api-transport.ts + 3 modules
var api_transport = __webpack_require__(819);
// EXTERNAL MODULE: ./src/http/read-capped.ts
var read_capped = __webpack_require__(382);
// EXTERNAL MODULE: ./src/http/retry-decisions.ts
var retry_decisions = __webpack_require__(476);
// EXTERNAL MODULE: ./src/http/retry.ts
var retry = __webpack_require__(902);
// EXTERNAL MODULE: ./src/settings.ts
var settings = __webpack_require__(750);
// EXTERNAL MODULE: ./src/version.ts + 1 modules
var version = __webpack_require__(13);
;// CONCATENATED MODULE: ./src/github/destination.ts
const TYPE_LABEL = {
    actions: '',
    dependabot: 'Dependabot ',
    codespaces: 'Codespaces '
};
/** Every destination the scope names. */
function destinationsOf(scope, type) {
    switch (scope.kind) {
        case 'repository':
            return scope.repositories.map((repository) => ({ type, kind: 'repository', repository }));
        case 'environment':
            return scope.repositories.map((repository) => ({
                type,
                kind: 'environment',
                repository,
                environment: scope.environment
            }));
        case 'organization':
            return [{ type, kind: 'organization', organization: scope.organization }];
    }
}
/** How a destination is named in the log and the summary, e.g. `repository octo/app`. */
function destinationLabel(destination) {
    const type = TYPE_LABEL[destination.type];
    switch (destination.kind) {
        case 'repository':
            return `${type}repository ${destination.repository}`;
        case 'environment':
            return `environment "${destination.environment}" of ${destination.repository}`;
        case 'organization':
            return `${type}organization ${destination.organization}`;
    }
}
/** The REST path of the destination's secrets collection (environment name URL-encoded). */
function secretsPath(destination) {
    switch (destination.kind) {
        case 'repository':
            return `/repos/${destination.repository}/${destination.type}/secrets`;
        case 'environment':
            return `/repos/${destination.repository}/environments/${encodeURIComponent(destination.environment)}/secrets`;
        case 'organization':
            return `/orgs/${destination.organization}/${destination.type}/secrets`;
    }
}
/** The body of a secret write; the same body the replay command sends. */
function secretWriteBody(sealed, access) {
    const body = {
        encrypted_value: sealed.encryptedValue,
        key_id: sealed.keyId
    };
    if (access) {
        body.visibility = access.visibility;
        if (access.visibility === 'selected') {
            body.selected_repository_ids = access.selectedRepositoryIds ?? [];
        }
    }
    return body;
}

;// CONCATENATED MODULE: ./src/github/secrets-client.ts














/** A failed GitHub call, with the destination and what the user must do about it. */
class GitHubSecretsError extends http_error/* HttpError */.j$ {
    constructor(message, options) {
        super(message, options);
        this.name = 'GitHubSecretsError';
    }
}
/**
 * GitHub's answer about an organization secret does not say who may read it: it names another
 * secret (or none), states no valid visibility, or, for `selected`, its repository list cannot
 * be read. Nothing of that answer is used, not even that the secret exists.
 */
class UnstatedAudienceError extends GitHubSecretsError {
    constructor(message, options) {
        super(message, options);
        this.name = 'UnstatedAudienceError';
    }
}
/** GitHub requests in flight at once: GitHub allows 100. */
const GITHUB_CONCURRENCY = 20;
/** The most pages of a list read (100 each): GitHub allows far fewer. */
const MAX_PAGES = 100;
/** Reads public keys and writes Actions, Dependabot and Codespaces secrets through GitHub's REST API. */
class GitHubSecretsClient {
    options;
    octokit;
    retryPolicy;
    /**
     * Recent writes for the rolling-minute pacing: each counts from when it was sent until a
     * minute after its answer arrived (Infinity while in flight), so that GitHub, which counts
     * it somewhere in between, never sees more than the limit in any minute.
     */
    writes = [];
    /** Keeps kept-alive connections and the proxy agents of GitHub's host. */
    http = new lib/* HttpClient */.Qq(version/* USER_AGENT */._O, [], { keepAlive: true });
    /** GitHub requests in flight at once, whoever sends them: well under GitHub's 100. */
    inFlight = new Limiter(GITHUB_CONCURRENCY);
    pacingNoticeUntil = 0;
    constructor(options) {
        this.options = options;
        this.octokit = (0,github/* getOctokit */.Q)(options.token, {
            baseUrl: options.baseUrl,
            userAgent: version/* USER_AGENT */._O,
            request: { fetch: fetchThrough(this.http) },
            log: {
                debug: () => undefined,
                info: () => undefined,
                warn: (message) => core/* debug */.Yz(message),
                error: (message) => core/* debug */.Yz(message)
            }
        });
        this.retryPolicy = {
            maxAttempts: options.request.maxAttempts,
            clock: options.clock,
            signal: options.cancellation.requested,
            decide: retry_decisions/* githubRetry */.kz
        };
    }
    /** Closes kept-alive connections. */
    dispose() {
        this.http.dispose();
    }
    /** The REST API base URL (GITHUB_API_URL). */
    get baseUrl() {
        return this.options.baseUrl;
    }
    async getPublicKey(destination) {
        const { data } = await this.request(destination, 'GET', `${secretsPath(destination)}/public-key`);
        // The key_id reaches the log and a printed shell command: a plain token only. The key must
        // be the 32 bytes of a libsodium public key.
        if (typeof data?.key_id !== 'string' ||
            !/^[A-Za-z0-9_-]{1,128}$/.test(data.key_id) ||
            typeof data.key !== 'string' ||
            !/^[A-Za-z0-9+/]{43}=$/.test(data.key)) {
            throw new GitHubSecretsError(`GitHub answered the public key of ${destinationLabel(destination)} without a plain key_id and a 32-byte key`, {
                method: 'GET',
                path: `${secretsPath(destination)}/public-key`,
                status: 200
            });
        }
        return { key_id: data.key_id, key: data.key };
    }
    /**
     * The current visibility and selected repositories of an organization secret; undefined if
     * it does not exist yet. Only an answer that names the secret and states a valid visibility
     * is believed (with `selected`, the repositories come from their own list); any other throws
     * an {@link UnstatedAudienceError}. A 404 is believed only when the organization's list of
     * secrets does not name it either. Paging is bounded and stops on a page that repeats.
     */
    async getOrganizationSecretAccess(destination, name) {
        const path = `${secretsPath(destination)}/${name}`;
        let data;
        try {
            ;
            ({ data } = await this.request(destination, 'GET', path));
        }
        catch (error) {
            if (!(error instanceof GitHubSecretsError && error.status === 404))
                throw error;
            const listed = await this.listPages(destination, secretsPath(destination), 'secrets', (s) => typeof s?.name === 'string' ? s.name.toUpperCase() : undefined);
            if (!listed.includes(name.toUpperCase()))
                return undefined;
            throw new UnstatedAudienceError(`GET ${path} answered HTTP 404, but the organization's list of secrets names ${name}`, { method: 'GET', path, status: 404 });
        }
        const secret = (typeof data === 'object' && data !== null ? data : {});
        const stated = (field) => typeof field === 'string' ? `"${(0,redaction/* untrusted */.bp)(field, 100)}"` : 'none';
        // GitHub's secret names are case-insensitive (and answered upper-case).
        const named = typeof secret.name === 'string' && secret.name.toUpperCase() === name.toUpperCase();
        const visibility = secret.visibility;
        if (!named || !settings/* VISIBILITIES */.jZ.includes(visibility)) {
            throw new UnstatedAudienceError(`GET ${path} answered HTTP 200 without naming ${name} and stating its visibility (all, private or selected): it names ${stated(secret.name)}, visibility ${stated(secret.visibility)}`, { method: 'GET', path, status: 200 });
        }
        if (visibility !== 'selected')
            return { visibility };
        const ids = await this.listPages(destination, `${path}/repositories`, 'repositories', (r) => Number.isInteger(r?.id) ? r.id : undefined);
        return { visibility, selectedRepositoryIds: ids };
    }
    /**
     * Every item of a paged list (100 a page), each read by `read`; an item it cannot read, or a
     * page without the list, throws an {@link UnstatedAudienceError}. At most MAX_PAGES pages, and
     * a page that repeats the previous one stops the reading.
     */
    async listPages(destination, path, field, read) {
        const items = new Set();
        let previous = '';
        for (let page = 1;; page++) {
            const listPath = `${path}?per_page=100&page=${page}`;
            const { data } = await this.request(destination, 'GET', listPath);
            const list = data?.[field];
            const values = Array.isArray(list) ? list.map((item) => read(item)) : undefined;
            if (!values || values.some((item) => item === undefined)) {
                throw new UnstatedAudienceError(`GET ${listPath} answered HTTP 200 without a list of ${field} that gives each one's ${field === 'secrets' ? 'name' : 'numeric id'}`, { method: 'GET', path: listPath, status: 200 });
            }
            const signature = JSON.stringify(values);
            if (values.length > 0 && signature === previous) {
                throw this.pagingError(listPath, `the same page of ${field} came back twice`);
            }
            previous = signature;
            values.forEach((item) => items.add(item));
            const total = typeof data.total_count === 'number' ? data.total_count : 0;
            if (values.length < 100 || items.size >= total)
                return [...items];
            if (page >= MAX_PAGES) {
                throw this.pagingError(listPath, `more than ${MAX_PAGES} pages of ${field}`);
            }
        }
    }
    pagingError(path, what) {
        return new GitHubSecretsError(`GET ${path}: ${what}; the list could not be read, so nothing was changed.`, { method: 'GET', path, status: 200 });
    }
    /** When the secret was last written (ms since the epoch); undefined when it does not exist. */
    async secretUpdatedAt(destination, name) {
        const path = `${secretsPath(destination)}/${name}`;
        try {
            const { data } = await this.request(destination, 'GET', path);
            const time = typeof data?.updated_at === 'string' ? Date.parse(data.updated_at) : NaN;
            // A secret whose time cannot be read counts as just written: the careful reading.
            return Number.isNaN(time) ? this.options.clock.now() : time;
        }
        catch (error) {
            if (error instanceof http_error/* HttpError */.j$ && error.status === 404)
                return undefined;
            throw error;
        }
    }
    /** The numeric ID of a repository (owner/name), for `selected_repository_ids`. */
    async getRepositoryId(repository) {
        const destination = { type: 'actions', kind: 'repository', repository };
        const path = `/repos/${repository}`;
        const { data } = await this.request(destination, 'GET', path);
        if (!Number.isInteger(data?.id)) {
            throw new GitHubSecretsError(`GitHub answered ${path} without a repository id`, {
                method: 'GET',
                path,
                status: 200
            });
        }
        return data.id;
    }
    /**
     * Creates or updates the secret; `created` when GitHub answered 201. `failedAttempt` hears
     * each attempt that failed before the one that answered (a retry after an unclear attempt
     * may find the secret that attempt created).
     */
    async putSecret(destination, name, sealed, access, failedAttempt) {
        const path = `${secretsPath(destination)}/${name}`;
        const body = secretWriteBody(sealed, access);
        const { status } = await this.request(destination, 'PUT', path, body, failedAttempt);
        if (status === 201)
            return 'created';
        if (status === 204)
            return 'updated';
        // GitHub documents 201 and 204 only: anything else does not prove the secret was stored.
        throw new GitHubSecretsError(`PUT ${path} answered HTTP ${status}, not 201 or 204: whether GitHub stored the secret is not known`, { method: 'PUT', path, status });
    }
    /**
     * Deletes the secret. A 404 ("does not exist") counts as deleted only when the secret cannot
     * be read either.
     */
    async deleteSecret(destination, name) {
        const path = `${secretsPath(destination)}/${name}`;
        let status;
        try {
            ;
            ({ status } = await this.request(destination, 'DELETE', path));
        }
        catch (error) {
            if (!(error instanceof http_error/* HttpError */.j$) || error.status !== 404)
                throw error;
            if ((await this.secretUpdatedAt(destination, name)) === undefined)
                return;
            throw new GitHubSecretsError(`DELETE ${path} answered HTTP 404, but the secret can still be read: it was not deleted`, { method: 'DELETE', path, status: 404 });
        }
        if (status !== 204) {
            throw new GitHubSecretsError(`DELETE ${path} answered HTTP ${status}, not 204: whether GitHub deleted the secret is not known`, { method: 'DELETE', path, status });
        }
    }
    /** One call with retries; the answer's status and parsed body. */
    request(destination, method, path, body, failedAttempt) {
        const { clock, request, cancellation } = this.options;
        return (0,retry/* withRetry */.bD)(async () => {
            const write = method === 'PUT' || method === 'DELETE' ? await this.paceWrite(method) : undefined;
            let sent = false;
            const started = clock.now();
            const deadline = clock.deadline(request.timeoutMs);
            const controller = new AbortController();
            const abort = () => controller.abort(deadline.signal.reason ?? cancellation.urgent.reason);
            // Deletes clean up (probe secrets): they still go out in the last moments of a run, which
            // must not leave a probe that would hold the destination for the next run.
            const urgent = method === 'DELETE' ? new AbortController().signal : cancellation.urgent;
            deadline.signal.addEventListener('abort', abort);
            urgent.addEventListener('abort', abort);
            try {
                const response = await this.inFlight.run(() => {
                    // Checked when the request's turn comes, however long it waited for it. A secret
                    // write is a change: none is sent after the first signal (deletes clean up).
                    if (method === 'PUT')
                        cancellation.throwIfRequested();
                    if (urgent.aborted) {
                        throw new GitHubSecretsError(`${method} ${path} was not sent: the run was cancelled (${cancellation.signal})`, { method, path, code: http_error/* NOT_SENT_CANCELLED */.v$ });
                    }
                    sent = true;
                    return this.octokit.request(`${method} ${path}`, {
                        ...body,
                        request: { signal: controller.signal }
                    });
                });
                core/* debug */.Yz(`GitHub ${method} ${path} -> ${response.status} (${clock.now() - started} ms)`);
                return { status: response.status, data: response.data };
            }
            catch (error) {
                if (error instanceof http_error/* HttpError */.j$ || error instanceof src_cancellation/* CancelledError */.cc)
                    throw error;
                const stopped = urgent.aborted
                    ? 'abandoned: the run was cancelled'
                    : deadline.signal.aborted
                        ? `no complete answer within ${request.timeoutMs / 1000} s`
                        : undefined;
                throw toGitHubError(error, destination, method, path, clock.now, stopped);
            }
            finally {
                deadline.clear();
                deadline.signal.removeEventListener('abort', abort);
                urgent.removeEventListener('abort', abort);
                // A write holds its place until a minute after its answer; one never sent, not at all.
                if (write)
                    write.until = sent ? clock.now() + 60_000 : clock.now();
            }
        }, {
            ...this.retryPolicy,
            decide: (error) => {
                failedAttempt?.(error);
                return this.retryPolicy.decide(error);
            }
        });
    }
    /**
     * Waits until a write fits under the rolling-minute limit, so that a fan-out to many
     * destinations paces itself instead of tripping GitHub's secondary limits. Returns the
     * write's entry, to be closed when its answer arrives.
     *
     * The first signal ends the wait of a PUT with a {@link CancelledError}: it was never sent.
     * A DELETE after the first signal removes a probe (clean-up, which the run must finish within
     * its last moments): it takes its place without waiting. They are few (one per destination),
     * and GitHub answers a burst over its secondary limit with a rate limit, never a lost write.
     */
    async paceWrite(method) {
        const { clock, cancellation, writesPerMinute: limit } = this.options;
        const cleanUp = () => method === 'DELETE' && cancellation.requested.aborted;
        for (;;) {
            const time = clock.now();
            this.writes = this.writes.filter((w) => w.until > time);
            if (this.writes.length < limit || cleanUp()) {
                const write = { until: Infinity };
                this.writes.push(write);
                return write;
            }
            const until = Math.min(...this.writes.map((w) => w.until));
            const wait = until === Infinity ? 1000 : until - time;
            if (until !== Infinity && until > this.pacingNoticeUntil) {
                this.pacingNoticeUntil = until;
                core/* info */.pq(`Pacing secret writes under writes-per-minute (${limit}): waiting ${Math.ceil(wait / 1000)} s`);
            }
            try {
                await clock.sleep(wait, cancellation.requested);
            }
            catch (error) {
                if (!cleanUp())
                    throw error;
            }
        }
    }
}
/** The permission a token needs to write secrets of the destination. */
function writePermission(destination) {
    const organization = destination.kind === 'organization';
    switch (destination.type) {
        case 'dependabot':
            return organization
                ? 'the organization permission "Organization dependabot secrets: Read and write"'
                : 'the repository permission "Dependabot secrets: Read and write"';
        case 'codespaces':
            return organization
                ? 'the organization permission "Organization codespaces secrets: Read and write"'
                : 'the repository permission "Codespaces secrets: Read and write"';
        case 'actions':
            if (organization)
                return 'the organization permission "Secrets: Read and write"';
            return destination.kind === 'environment'
                ? 'the repository permissions "Secrets: Read and write" and "Environments: Read"'
                : 'the repository permission "Secrets: Read and write"';
    }
}
/** Maps an Octokit failure to what the user must do. */
function toGitHubError(error, destination, method, path, now, stopped) {
    const failure = error;
    const where = destinationLabel(destination);
    const request = `${method} ${path}`;
    if (!failure.response) {
        // Stopped by this run (its deadline, a cancellation), or a network failure.
        const reason = stopped ?? (0,redaction/* untrusted */.bp)((0,redaction/* errorText */.kc)(error));
        return new GitHubSecretsError(`${request} failed: ${reason}`, { method, path, cause: error });
    }
    const status = failure.status ?? 0;
    const headers = failure.response.headers ?? {};
    const message = failure.response.data?.message;
    const serverMessage = typeof message === 'string' ? (0,redaction/* untrusted */.bp)(message) : '';
    const said = `${request} answered HTTP ${status}${serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : ''}`;
    const options = { method, path, status, serverMessage, cause: error };
    const limit = rateLimit(status, headers, serverMessage, now);
    if (limit) {
        const wait = limit.retryAfterMs;
        const asked = wait === undefined
            ? ''
            : wait > retry/* MAX_SERVER_WAIT_MS */.Ge
                ? `: GitHub asks to wait ${Math.ceil(wait / 60_000)} minutes, longer than the ${retry/* MAX_SERVER_WAIT_MS */.Ge / 60_000} a run waits for one request; run again once the limit has reset`
                : `: GitHub asks to wait ${Math.ceil(wait / 1000)} s`;
        return new GitHubSecretsError(`${said} (GitHub rate limit${asked})`, {
            ...options,
            rateLimited: true,
            retryAfterMs: limit.retryAfterMs
        });
    }
    if (status >= 500)
        return new GitHubSecretsError(said, options);
    let advice;
    switch (status) {
        case 401:
            advice = 'GitHub rejected github-token: it is invalid, expired or revoked.';
            break;
        case 403:
            advice =
                `github-token may not write secrets of ${where}. The workflow's own GITHUB_TOKEN never can:` +
                    ` use a GitHub App installation token or a fine-grained personal access token with ${writePermission(destination)}.`;
            break;
        case 404:
            advice = `${where} was not found, or github-token cannot see it: check the name and the token's repository or organization access.`;
            break;
        case 422:
            advice = `GitHub refused the request for ${where}.`;
            break;
        default:
            advice = `The request for ${where} failed.`;
    }
    return new GitHubSecretsError(`${said}. ${advice}`, options);
}
/**
 * GitHub's primary and secondary limits answer 403 or 429: the wait GitHub asks for
 * (retry-after, else x-ratelimit-reset when nothing remains), or no time named; undefined when
 * the answer is no rate limit.
 */
function rateLimit(status, headers, serverMessage, now) {
    if (status !== 403 && status !== 429)
        return undefined;
    const retryAfterMs = (0,retry/* parseRetryAfter */.mu)(headers['retry-after'], now);
    if (retryAfterMs !== undefined)
        return { retryAfterMs };
    if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
        const resetMs = Number(headers['x-ratelimit-reset']) * 1000 - now();
        return { retryAfterMs: Math.max(resetMs, 1000) };
    }
    if (status === 429 || /rate limit/i.test(serverMessage))
        return {};
    return undefined;
}
/**
 * The `fetch` Octokit sends with: the same proxy-aware agent, extra CA and body cap as the key
 * platforms' requests (`exchange`), never a bare `fetch` that would ignore HTTPS_PROXY.
 */
function fetchThrough(client) {
    return async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const headers = Object.fromEntries(new Headers(init?.headers).entries());
        const signal = init?.signal ?? new AbortController().signal;
        const response = await (0,api_transport/* exchange */.cv)(client, url, {
            method: init?.method ?? 'GET',
            headers,
            body: typeof init?.body === 'string' ? init.body : undefined,
            signal
        });
        const text = await (0,read_capped/* readCapped */.EF)(response, signal, read_capped/* MAX_BODY_BYTES */.YK);
        const status = response.statusCode ?? 0;
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers))
            for (const v of Array.isArray(value) ? value : [value ?? ''])
                answerHeaders.append(name, v);
        return new Response(status === 204 || status === 304 ? null : text, {
            status,
            headers: answerHeaders
        });
    };
}

// EXTERNAL MODULE: ./src/dates.ts
var dates = __webpack_require__(718);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
;// CONCATENATED MODULE: ./src/github/replay.ts

function replayBlock(baseUrl, secretName, entries) {
    const lines = [
        `Sealed copies of the new secret, one per destination (safe to show: only GitHub can open them).` +
            ` If this run does not confirm a destination, its recovery says which to replay; each command is one line` +
            ` (WRITER_TOKEN: a token that can write the secret, as github-token; never the workflow's GITHUB_TOKEN):`
    ];
    for (const { destination, sealed, access } of entries) {
        const body = JSON.stringify(secretWriteBody(sealed, access));
        lines.push(`Replay for ${destinationLabel(destination)} (sealed for its public key ${sealed.keyId}):`, `  curl -fsS -X PUT -H "Authorization: Bearer $WRITER_TOKEN" -H "Accept: application/vnd.github+json" ` +
            `${shellQuote(`${baseUrl}${secretsPath(destination)}/${secretName}`)} -d ${shellQuote(body)}`);
    }
    return lines.join('\n');
}
/** `text` as one shell word, whatever it holds: single-quoted, each `'` closed, escaped, reopened. */
function shellQuote(text) {
    return `'${text.replace(/'/g, `'\\''`)}'`;
}

;// CONCATENATED MODULE: ./src/github/seal.ts
let sodium;
/**
 * Loads libsodium (27-40 ms to import, 11 ms to get ready), once. Operations that store a secret
 * start it with their first requests (`prepareDelivery`), so that it is ready by the first seal
 * instead of adding to the critical path; operations that store none never pay for it.
 */
function loadSodium() {
    sodium ??= __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 768)).then(async ({ default: s }) => {
        await s.ready;
        return s;
    });
    return sodium;
}
/**
 * Seals `value` with a libsodium sealed box for the destination's public key, base64 in the
 * ORIGINAL variant as GitHub expects.
 */
async function sealForGitHub(value, publicKey) {
    const s = await loadSodium();
    const key = s.from_base64(publicKey.key, s.base64_variants.ORIGINAL);
    const sealed = s.crypto_box_seal(s.from_string(value), key);
    return {
        encryptedValue: s.to_base64(sealed, s.base64_variants.ORIGINAL),
        keyId: publicKey.key_id
    };
}

;// CONCATENATED MODULE: ./src/github/delivery.ts










/*
 * Delivering a new secret to its GitHub destinations. Invariants:
 * - Preflight changes nothing a consumer could notice: the write proof keeps each secret's
 *   existing value and visibility; a new visibility comes with the real write only. It never
 *   gives a live credential a wider audience: an organization secret that does not exist yet is
 *   proven with a probe, whose value is no credential.
 * - Two runs never deliver to the same destination at once: the probe secret is a lease. A
 *   probe written less than ten minutes ago, or one that another run wrote between this run's
 *   look and its write, stops this run before anything changes.
 * - From the moment a secret is sealed until every destination confirmed it, a sealed copy
 *   for every destination is in the log (`seal` prints them before `write` sends anything; a
 *   copy sealed again for a public key GitHub changed is printed before it is sent).
 * - Real writes go out before the probe clean-up (`abort`).
 */
/** GitHub requests in flight at once: well under GitHub's 100 concurrent requests. */
const delivery_GITHUB_CONCURRENCY = 20;
/**
 * How long a probe secret holds its destination for the run that wrote it: longer than most runs
 * take, short enough that a probe a killed run left behind blocks nobody for long.
 */
const LEASE_MS = 10 * 60_000;
/**
 * Reads every destination's public key (and an organization secret's access): preflight. With
 * `probes` (the write proof will be a probe), each probe's lease is looked at in the same round
 * trip. libsodium loads meanwhile, ready for the first seal.
 */
async function prepareDelivery(github, store, clock, leftProbes = [], { probes = false } = {}) {
    const destinations = destinationsOf(store.scope, store.secretType);
    const probeName = probeNameOf(store.secretName);
    const read = Promise.all([
        settleWithLimit(destinations, delivery_GITHUB_CONCURRENCY, (d) => github.getPublicKey(d)),
        organizationAccess(github, store, destinations[0])
    ]);
    const leases = destinations.map((d) => {
        if (!probes)
            return undefined;
        const lease = github.secretUpdatedAt(d, probeName);
        // Awaited by the probe; a run that stops before it must not see an unhandled rejection.
        lease.catch(() => undefined);
        return lease;
    });
    loadSodium().catch(() => undefined);
    const [keys, access] = await read;
    failOnRejected(keys, destinations, 'Preflight could not read the public key of');
    const prepared = destinations.map((destination, i) => ({
        destination,
        label: destinationLabel(destination),
        publicKey: keys[i].value,
        lease: leases[i],
        ...access
    }));
    return new GitHubDelivery(github, store.secretName, prepared, clock, leftProbes);
}
function probeNameOf(secretName) {
    return `${secretName}_ROTATION_PROBE`;
}
class GitHubDelivery {
    github;
    name;
    prepared;
    clock;
    leftProbes;
    labels;
    replays = [];
    /** Destinations a probe may have reached (a write GitHub refused with a 4xx left nothing). */
    probed = [];
    /** The secret being delivered, kept to seal it again for a public key that changed. */
    secret;
    constructor(github, name, prepared, clock, 
    /** Where a probe that could not be removed is recorded, for the recovery. */
    leftProbes) {
        this.github = github;
        this.name = name;
        this.prepared = prepared;
        this.clock = clock;
        this.leftProbes = leftProbes;
        this.labels = prepared.map((p) => p.label);
    }
    get probeName() {
        return probeNameOf(this.name);
    }
    async proveWriteAccess(currentSecret) {
        // Re-writing the value the action was given changes nothing for a secret's readers; an
        // organization secret that does not exist yet would get it with a visibility of this run's
        // choosing, so it gets a probe instead.
        const rewrites = (p) => currentSecret !== undefined && (!p.access || p.existingAccess !== undefined);
        const results = await settleWithLimit(this.prepared, delivery_GITHUB_CONCURRENCY, (p) => rewrites(p)
            ? this.rewrite(p, currentSecret)
            : this.probe(p).then((written) => {
                if (written)
                    this.probed.push(p);
            }));
        if (results.some((r) => r.status === 'rejected'))
            await this.abort();
        failOnRejected(results, this.prepared.map((p) => p.destination), `Preflight could not write ${currentSecret === undefined ? this.probeName : `${this.name} (or its probe)`} to`);
        const probes = this.probed.length;
        core/* info */.pq(probes === this.prepared.length
            ? `Wrote probe secret ${this.probeName} to every destination`
            : probes === 0
                ? `Re-wrote the current value of ${this.name} to every destination`
                : `Re-wrote the current value of ${this.name} to ${this.prepared.length - probes} destination(s) and wrote probe secret ${this.probeName} to ${probes}`);
    }
    async rewrite(p, currentSecret) {
        const sealed = await sealForGitHub(currentSecret, p.publicKey);
        await this.github.putSecret(p.destination, this.name, sealed, p.existingAccess);
    }
    /**
     * Writes the probe, which also leases the destination to this run. True when this run wrote
     * it (and so must remove it); a write GitHub refused left nothing.
     */
    async probe(p) {
        const busy = (why) => new Error(`${why}: another run seems to be delivering ${this.name} to ${p.label}. Two runs that write the same secret at once can leave it holding a dead secret, so this run stops here. ` +
            `If no other run is going on (a run that was killed leaves its probe behind), delete the secret ${this.probeName} of ${p.label}, or wait ${LEASE_MS / 60_000} minutes, and run again.`);
        const updatedAt = await (p.lease ?? this.github.secretUpdatedAt(p.destination, this.probeName));
        if (updatedAt !== undefined && this.clock.now() - updatedAt < LEASE_MS) {
            const minutes = Math.floor((this.clock.now() - updatedAt) / 60_000);
            throw busy(`The probe secret ${this.probeName} was written ${minutes < 1 ? 'less than a minute' : `${minutes} minute(s)`} ago`);
        }
        const value = (0,external_node_crypto_.randomBytes)(16).toString('hex');
        let status;
        // An attempt of this run that may have landed explains an `updated` of its retry.
        let landedBefore = false;
        try {
            const probe = await sealForGitHub(value, p.publicKey);
            status = await this.github.putSecret(p.destination, this.probeName, probe, p.access && { visibility: 'private' }, (error) => (landedBefore ||= !(error instanceof http_error/* HttpError */.j$) || error.unclear));
        }
        catch (error) {
            // A write GitHub refused left nothing, unless an earlier attempt may have landed; any
            // other failure may have left the probe.
            const refused = error instanceof http_error/* HttpError */.j$ && !error.unclear && error.status < 500;
            if (landedBefore || (!refused && !(error instanceof src_cancellation/* CancelledError */.cc)))
                this.probed.push(p);
            throw error;
        }
        // A stale probe is this run's now; a fresh one appearing since the look is another run's.
        if (status === 'updated' && updatedAt === undefined && !landedBefore) {
            throw busy(`The probe secret ${this.probeName} appeared while this run was writing it`);
        }
        return true;
    }
    async seal(secret) {
        this.secret = secret;
        const copies = await Promise.all(this.prepared.map((p) => sealForGitHub(secret, p.publicKey)));
        this.printReplay(this.prepared.map((p, i) => ({
            destination: p.destination,
            sealed: copies[i],
            access: p.access
        })));
        return copies;
    }
    async write(copies, progress = () => undefined) {
        const outcomes = await settleWithLimit(this.prepared, delivery_GITHUB_CONCURRENCY, async (p, i) => {
            progress(i, { label: p.label, status: 'unclear', error: 'no answer yet' });
            const outcome = await this.writeOne(p, copies[i]);
            progress(i, outcome);
            return outcome;
        });
        return outcomes.map((o) => o.value);
    }
    async writeOne(p, copy) {
        try {
            let status;
            try {
                status = await this.github.putSecret(p.destination, this.name, copy, p.access);
            }
            catch (error) {
                const resealed = await this.resealed(p, copy, error);
                if (!resealed)
                    throw error;
                status = await this.github.putSecret(p.destination, this.name, resealed, p.access);
            }
            core/* info */.pq(`${this.name} ${status} in ${p.label}`);
            return { label: p.label, status };
        }
        catch (error) {
            if (error instanceof src_cancellation/* CancelledError */.cc) {
                return { label: p.label, status: 'skipped', error: `not sent: ${error.message}` };
            }
            core/* warning */.$e(`${this.name} could not be written to ${p.label}: ${(0,redaction/* errorText */.kc)(error)}`);
            // Without an answer that settles it the write may still have landed: say so rather than guess.
            const unclear = !(error instanceof http_error/* HttpError */.j$) || error.unclear;
            return { label: p.label, status: unclear ? 'unclear' : 'failed', error: (0,redaction/* errorText */.kc)(error) };
        }
    }
    /**
     * GitHub refused a write (422) because the destination's public key changed since preflight:
     * the secret sealed again for the new key, printed before it is sent; undefined otherwise.
     */
    async resealed(p, copy, error) {
        const { secret } = this;
        if (secret === undefined || !(error instanceof http_error/* HttpError */.j$) || error.status !== 422)
            return undefined;
        const publicKey = await this.github.getPublicKey(p.destination).catch(() => undefined);
        if (!publicKey || publicKey.key_id === copy.keyId)
            return undefined;
        core/* info */.pq(`GitHub's public key of ${p.label} changed since preflight (now ${publicKey.key_id}): sealing the new secret again`);
        p.publicKey = publicKey;
        const sealed = await sealForGitHub(secret, publicKey);
        this.printReplay([{ destination: p.destination, sealed, access: p.access }]);
        return sealed;
    }
    printReplay(entries) {
        const block = replayBlock(this.github.baseUrl, this.name, entries);
        this.replays.push(block);
        core/* info */.pq(block);
    }
    async abort() {
        const targets = this.probed;
        this.probed = [];
        // A probe counts as left until its removal is confirmed: a report made meanwhile (the one
        // due a second after SIGTERM, while a delete still waits for its answer) names it.
        const pending = targets.map((p) => ({ name: this.probeName, label: p.label }));
        this.leftProbes.push(...pending);
        const removals = await settleWithLimit(targets, delivery_GITHUB_CONCURRENCY, (p) => this.github.deleteSecret(p.destination, this.probeName));
        removals.forEach((r, i) => {
            if (r.status === 'fulfilled') {
                this.leftProbes.splice(this.leftProbes.indexOf(pending[i]), 1);
            }
            else {
                core/* warning */.$e(`Could not remove the probe secret ${this.probeName} from ${targets[i].label}: ${(0,redaction/* errorText */.kc)(r.reason)} ` +
                    `Delete it by hand: for ${LEASE_MS / 60_000} minutes it makes the next run that writes ${this.name} there stop before it changes anything.`);
            }
        });
    }
}
/**
 * Who may read the organization secret after the write, and who may now. The present audience
 * comes only from an answer that states it (see getOrganizationSecretAccess); any other answer
 * stops preflight, unless the `visibility` input states the audience (with `repositories` for
 * `selected`). Then nothing of that answer is used, not even that the secret exists: the write
 * proof is a probe, whose value is no credential, and the live secret reaches the organization
 * only with the real write, for the audience the input asked for.
 */
async function organizationAccess(github, store, destination) {
    const { scope } = store;
    if (scope.kind !== 'organization')
        return {};
    const label = destinationLabel(destination);
    const audienceGiven = scope.visibility !== undefined &&
        (scope.visibility !== 'selected' || scope.repositories !== undefined);
    const [existingAccess, selectedRepositoryIds] = await Promise.all([
        github.getOrganizationSecretAccess(destination, store.secretName).catch((error) => {
            if (error instanceof UnstatedAudienceError) {
                if (audienceGiven) {
                    core/* warning */.$e(`GitHub did not say who may read ${store.secretName} of ${label} (${(0,redaction/* errorText */.kc)(error)}). The visibility input sets it: the write proof uses a probe secret, and the new secret gets visibility ${scope.visibility}.`);
                    return undefined;
                }
                throw new Error(`Preflight could not tell who may read ${store.secretName} of ${label}: ${(0,redaction/* errorText */.kc)(error)}. ` +
                    `Set the visibility input (all, private, or selected with repositories) to state who may read it, and the run can proceed. The key's secret was NOT changed.`, { cause: error });
            }
            throw new Error(`Preflight could not read ${store.secretName} of ${label}: ${(0,redaction/* errorText */.kc)(error)} The key's secret was NOT changed.`, { cause: error });
        }),
        scope.repositories
            ? Promise.all(scope.repositories.map((repository) => github.getRepositoryId(repository).catch((error) => {
                throw new Error(`Preflight could not find repository ${repository} (repositories): ${(0,redaction/* errorText */.kc)(error)} The key's secret was NOT changed.`, { cause: error });
            })))
            : undefined
    ]);
    const visibility = scope.visibility ?? existingAccess?.visibility ?? 'private';
    if (visibility !== 'selected')
        return { access: { visibility }, existingAccess };
    if (selectedRepositoryIds) {
        return { access: { visibility, selectedRepositoryIds }, existingAccess };
    }
    if (existingAccess?.visibility !== 'selected') {
        throw new Error(`visibility: selected needs repositories: ${store.secretName} of ${destinationLabel(destination)} is not ` +
            `a selected-repositories secret yet, so no repository could read it. The key's secret was NOT changed.`);
    }
    return { access: existingAccess, existingAccess };
}
function failOnRejected(results, destinations, what) {
    const failures = results.flatMap((r, i) => r.status === 'rejected' ? [`${destinationLabel(destinations[i])}: ${(0,redaction/* errorText */.kc)(r.reason)}`] : []);
    if (failures.length > 0) {
        throw new AggregateError(results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])), `${what} ${failures.length} destination(s); the key's secret was NOT changed:\n- ${failures.join('\n- ')}`);
    }
}

// EXTERNAL MODULE: ./src/github/holders.ts
var holders = __webpack_require__(712);
// EXTERNAL MODULE: ./src/platforms/key-platform.ts
var key_platform = __webpack_require__(947);
// EXTERNAL MODULE: ./src/result.ts
var src_result = __webpack_require__(666);
// EXTERNAL MODULE: ./src/operations/phase.ts
var phase = __webpack_require__(669);
// EXTERNAL MODULE: ./src/operations/resolve.ts
var resolve = __webpack_require__(646);
;// CONCATENATED MODULE: ./src/operations/store-secret.ts







/**
 * Stores `issued` through `delivery`; throws when a destination or the verification failed.
 * With `verifyFirst` (a new key that can simply be deleted again), the secret is verified
 * before the first write, and nothing is written when it does not authenticate. `beforeWrite`
 * (with `verifyFirst`) runs after the verification and before the first write; when it fails,
 * nothing is written either. Once every destination holds the secret, the probe removal is
 * awaited here, or, with `removeProbesBeside`, returned still running so that the caller's next
 * round trip goes out beside it (the caller awaits it).
 */
async function storeSecret(context, delivery, issued, verify, verifyFirst = false, beforeWrite, removeProbesBeside = false) {
    const { result, cancellation } = context;
    const writes = delivery.labels.map((label) => ({
        label,
        status: 'skipped',
        error: 'not sent'
    }));
    const verification = await (0,phase/* phase */.O)('Store and verify', context, async () => {
        const copies = await delivery.seal(issued.secret);
        result.replays = delivery.replays;
        result.destinations = writes;
        if (cancellation.signal)
            return undefined;
        if (verifyFirst) {
            let verification = await verifySecret(context, issued, verify);
            if (verification.ok && beforeWrite && !cancellation.signal)
                verification = await beforeWrite().then(() => verification, (error) => ({ ok: false, message: (0,redaction/* errorText */.kc)(error) }));
            if (verification.ok && !cancellation.signal)
                await delivery.write(copies, (i, outcome) => (writes[i] = outcome));
            return verification;
        }
        const [, verification] = await Promise.all([
            delivery.write(copies, (i, outcome) => (writes[i] = outcome)),
            verifySecret(context, issued, verify)
        ]);
        return verification;
    });
    const probesRemoved = delivery.abort();
    // Every failure below waits for the probes to go first, as it did before this run ends.
    const failed = async (error) => {
        await probesRemoved;
        throw error;
    };
    result.verified = verification?.ok === true && !verification.skipped;
    result.note(`stored in ${result.secretsUpdated} of ${writes.length} secret(s)`);
    if (verifyFirst && verification && !verification.ok)
        return failed(new Error(`${verification.message} No destination was written.`));
    if (verifyFirst && cancellation.signal && writes.every((w) => w.status === 'skipped')) {
        // Cancelled before the new secret was proven: its copies are not to be stored anywhere.
        return failed(new Error(`Cancelled (${cancellation.signal}) before the new secret of ${(0,resolve/* keyLabel */.w8)(issued.key)} was proven to work. No destination was written.`));
    }
    const unstored = writes.filter((w) => !(0,holders/* isStored */.m)(w));
    const report = (0,holders/* holdersReport */.C)(writes);
    if (cancellation.signal) {
        return failed(new Error(`Cancelled (${cancellation.signal}) after the new secret of ${(0,resolve/* keyLabel */.w8)(issued.key)} was issued. ${report}`));
    }
    if (unstored.length > 0) {
        return failed(new Error(`The new secret was issued, but ${unstored.length} of ${writes.length} destination(s) did not confirm the write. ${report}`));
    }
    if (verification && !verification.ok) {
        return failed(new src_result/* RunFailure */.a(`${verification.message} The new secret is stored in ${writes.map((w) => w.label).join(', ')}.`, {
            recovery: [
                {
                    kind: 'manual',
                    text: `Check ${(0,resolve/* keyLabel */.w8)(issued.key)} (operation describe): it must be active, and its role must allow reading API keys. Once it is, run this workflow again.`
                }
            ]
        }));
    }
    if (!removeProbesBeside)
        await probesRemoved;
    return { probesRemoved };
}
/** Proves that the new secret authenticates as its key (unless the platform did at creation). */
async function verifySecret({ platform, cancellation }, { secret, key, proven }, verify) {
    if (!verify) {
        core/* info */.pq('verify: false; the new secret was not tested');
        return { ok: true, skipped: true };
    }
    if (!key.active) {
        core/* notice */.lm(`${(0,resolve/* keyLabel */.w8)(key)} is locked (active: false) and cannot authenticate: verification skipped`);
        return { ok: true, skipped: true };
    }
    try {
        // Proven beside the key's lookup, where the platform did that; otherwise now.
        if (!proven)
            await platform.verifySecret(secret, key);
        core/* info */.pq(`Verified: the new secret of key ${key.id} authenticates`);
        return { ok: true, skipped: false };
    }
    catch (error) {
        if (cancellation.signal)
            return { ok: true, skipped: true };
        return {
            ok: false,
            message: `Verification failed: the new secret did not authenticate as key ${key.id} (${(0,redaction/* errorText */.kc)(error)}); check the key on the platform before relying on it.`
        };
    }
}
/**
 * The GitHub writes a delivery needs at most (per destination: a write proof, either a probe and
 * its removal or a re-write of the current value, then the write itself), checked against
 * writes-per-hour before preflight: a plan that cannot fit fails before anything changes.
 * Logged with the minutes it takes at writes-per-minute, and advice past ten minutes.
 */
function planWrites(store, rewrite) {
    const destinations = destinationsOf(store.scope, store.secretType).length;
    const writes = destinations * (rewrite ? 2 : 3);
    // Each write holds its place in the rolling minute: the last batch starts this many minutes in.
    const minutes = Math.ceil(writes / store.writesPerMinute) - 1;
    const fanOut = store.scope.kind === 'organization'
        ? ''
        : ` An organization secret with visibility: selected for these ${destinations} repositories needs 3 writes in all.`;
    if (writes > store.writesPerHour) {
        throw new Error(`This run needs up to ${writes} GitHub writes (a write proof, the write and, for a probe, its removal, for each of ${destinations} destination(s)); writes-per-hour allows ${store.writesPerHour}.${fanOut} ` +
            `Or write the repositories in batches of at most ${Math.floor(store.writesPerHour / (rewrite ? 2 : 3))}. Nothing was changed.`);
    }
    // Only a long fan-out is worth a line in a normal run (the notice below); the plan is for debugging.
    core/* debug */.Yz(`GitHub writes for ${destinations} destination(s): ${writesText({ writes, minutes })} at writes-per-minute ${store.writesPerMinute}`);
    if (minutes > 10 && fanOut)
        core/* notice */.lm(`This fan-out takes about ${minutes} minutes.${fanOut}`);
    return { writes, minutes };
}
/** "up to 300 GitHub writes, about 3 minute(s)". */
function writesText({ writes, minutes }) {
    return `up to ${writes} GitHub writes, ${minutes < 1 ? 'within a minute' : `about ${minutes} minute(s)`}`;
}

;// CONCATENATED MODULE: ./src/operations/create.ts











/*
 * create: a new key whose secret goes straight into GitHub secrets. Preflight (the role, that no
 * key has the name yet, every destination readable and writable) changes nothing; then the key
 * is created once (retried only where the platform certainly did not act), stored like a
 * rotation's secret, and verified. When GitHub refused every write, the key is deleted: nothing
 * can depend on it. That delete acts only on the key this run created: it is read back by ID
 * first and must have the new name, and it is never the authenticating key.
 */
async function create(settings, context) {
    const { platform, github, clock, result } = context;
    const { store } = settings;
    const name = (0,redaction/* logSafe */.sN)(settings.keyName);
    result.secretName = store.secretName;
    const plan = planWrites(store, false);
    const { role, delivery } = await (0,phase/* phase */.O)('Preflight', context, async () => {
        const [role, existing, delivery] = await Promise.all([
            (0,resolve/* resolveRole */.fy)(platform, settings.role),
            platform.findKeyByName(settings.keyName),
            prepareDelivery(github, store, clock, result.leftProbes, { probes: !settings.dryRun })
        ]);
        if (existing) {
            throw new Error(`An API key named "${name}" already exists (${(0,resolve/* keyLabel */.w8)(existing)}); choose another key-name. Nothing was changed.`);
        }
        core/* info */.pq(`Creating key "${name}" with role ${(0,resolve/* roleLabel */.bR)(role)}; its secret goes to ${delivery.labels.length} destination(s) as ${store.secretName}`);
        return { role, delivery };
    });
    // Where keys are replaced rather than given a new secret, a new key's secret is verified
    // before the first write (it can become valid a few seconds late, and a key that never works
    // is simply deleted): the platform proves it beside its lookup of the key it made.
    const verifyFirst = platform.regenerateSecret === undefined;
    const newKey = {
        name: settings.keyName,
        proveBeside: verifyFirst && store.verify,
        description: settings.description,
        role,
        ...(settings.expiryDays !== undefined && {
            expiresAt: clock.now() + settings.expiryDays * dates/* DAY_MS */.sO
        }),
        ...(settings.expiryMonths !== undefined && {
            lifetimeMonths: settings.expiryMonths,
            expiresAt: (0,dates/* addMonths */.PS)(clock.now(), settings.expiryMonths)
        })
    };
    result.key = {
        id: '',
        name: newKey.name,
        description: newKey.description,
        role,
        active: true,
        expiresAt: newKey.expiresAt
    };
    result.role = role;
    result.expirySet = newKey.expiresAt;
    if (settings.dryRun) {
        result.destinations = delivery.labels.map((label) => ({ label, status: 'planned' }));
        result.note(`would create key "${name}" and write its secret to ${delivery.labels.length} secret(s) (${writesText(plan)})`);
        core/* info */.pq("Dry run: the role and every destination's public key were read; nothing was written and no key was created (write access is proven by a real run only)");
        return;
    }
    await (0,phase/* phase */.O)('Preflight write', context, async () => {
        context.cancellation.throwIfRequested();
        await delivery.proveWriteAccess(undefined);
    });
    let issued;
    try {
        issued = await (0,phase/* phase */.O)('Create', context, () => (0,phase/* change */.Z)(context, `the creation of key "${name}"`, () => createKey(context, newKey)));
    }
    catch (error) {
        await delivery.abort();
        throw error;
    }
    // Without the key's ID the secret is still delivered (it is the only copy), but not verified.
    const key = issued.key ?? { ...result.key, id: '' };
    result.key = key;
    result.change(issued.key ? `created ${(0,resolve/* keyLabel */.w8)(key)}` : `created key "${name}" (its ID is unknown)`);
    try {
        await storeSecret(context, delivery, { secret: issued.secret, key, proven: issued.proven }, store.verify && !!issued.key, verifyFirst);
    }
    catch (error) {
        const writes = result.destinations ?? [];
        const noneHolds = writes.every((d) => d.status === 'failed' || d.status === 'skipped');
        if (!issued.key || writes.length === 0 || !noneHolds)
            throw error;
        // No destination holds the secret (GitHub refused every write, or it never authenticated):
        // nothing can depend on the key, so it goes. (A write whose answer never arrived may have
        // landed: then the key stays.)
        const cleanup = await deleteCreatedKey(context, issued.key, settings.keyName);
        throw new src_result/* RunFailure */.a(writes.every((d) => d.status === 'failed')
            ? `GitHub refused every write of the new key's secret: ${(0,holders/* holdersReport */.C)(writes)} ${cleanup.text}`
            : `${(0,redaction/* errorText */.kc)(error)} ${cleanup.text}`, {
            cause: error,
            ...(cleanup.deleted &&
                context.result.unclear === undefined && { state: 'unchanged' }),
            recovery: [
                ...cleanup.steps,
                { kind: 'rerun', why: 'no key of that name is left, and nothing holds its secret' }
            ]
        });
    }
    if (!issued.key) {
        throw new Error(`The platform answered with the new key's secret but no key, and no key named "${name}" could be found: the secret was stored, but not verified. ` +
            `Find the key (operation describe, key-name "${name}") before relying on it.`);
    }
}
/**
 * Whether a delete of `id` that failed with `error` acted anyway: only when it got no clear
 * answer, and then the key itself says (it can no longer be read).
 */
async function goneAfter(platform, id, error) {
    if (!(error instanceof http_error/* HttpError */.j$) || !error.unclear)
        return false;
    return platform.getKey(id).then(() => false, (readError) => readError instanceof key_platform/* KeyNotFoundError */.bU);
}
/**
 * Deletes the key this run created and no destination holds, after reading it back by its ID:
 * it must carry the new name and must not be the authenticating key. Runs after a first signal
 * too (it is this run's own clean-up). Its secret's sealed copies are void from now on: the
 * recovery never offers them, whether or not the delete succeeds.
 */
async function deleteCreatedKey(context, created, name) {
    const { result, cancellation } = context;
    result.replayVoid = true;
    return (0,key_platform/* withCleanUp */.pv)(context.platform, cancellation.signal !== undefined, (platform) => deleteWith(context, platform, created, name));
}
async function deleteWith(context, platform, created, name) {
    const { result } = context;
    const void_ = "the sealed copies printed in this step's log are void (do not replay them)";
    const deleted = () => {
        result.change(`deleted the new ${(0,resolve/* keyLabel */.w8)(created)} again (no destination holds it)`);
        return {
            deleted: true,
            text: `The new key ${created.id} was deleted again: ${void_}.`,
            steps: []
        };
    };
    try {
        const [readBack, authenticating] = await Promise.all([
            platform.getKey(created.id),
            platform.getAuthenticatingKey()
        ]);
        if (readBack.name !== name || readBack.id === authenticating?.id) {
            return {
                deleted: false,
                text: `Key ${created.id} is not the key this run created (it is ${(0,resolve/* keyLabel */.w8)(readBack)}${readBack.id === authenticating?.id ? ', the key this action authenticates with' : ''}): nothing was deleted, and ${void_}.`,
                steps: [
                    {
                        kind: 'manual',
                        text: `Find the key named "${(0,redaction/* logSafe */.sN)(name)}" (operation describe, key-name) and delete it (operation delete): no destination holds its secret.`
                    }
                ]
            };
        }
        await (0,phase/* change */.Z)(context, `the deletion of the new ${(0,resolve/* keyLabel */.w8)(created)}`, () => platform.deleteKey(created.id), { cleanUp: true });
        return deleted();
    }
    catch (error) {
        if (await goneAfter(platform, created.id, error)) {
            result.unclear = undefined;
            return deleted();
        }
        return {
            deleted: false,
            text: `Deleting the new key ${created.id} failed (${(0,redaction/* errorText */.kc)(error)}); ${void_}.`,
            steps: [
                {
                    kind: 'delete-key',
                    id: created.id,
                    why: 'this run created it, and no destination holds its secret'
                }
            ]
        };
    }
}
/** A key of that name may exist with a secret nobody has: it must go before a re-run. */
function lostKeyStep(name) {
    return {
        kind: 'manual',
        text: `If a key named "${(0,redaction/* logSafe */.sN)(name)}" exists (operation describe, key-name), delete it (operation delete): its secret never reached anyone.`
    };
}
/** Creates the key once: its secret (masked) and the key, when it can be identified. */
async function createKey({ platform, cancellation, result }, newKey) {
    const name = (0,redaction/* logSafe */.sN)(newKey.name);
    const rerun = {
        kind: 'rerun',
        why: `once no key is named "${name}", create makes it again and stores its secret`
    };
    let issued;
    try {
        issued = await platform.createKey(newKey);
    }
    catch (error) {
        if (!(error instanceof http_error/* HttpError */.j$))
            throw error;
        if (!error.unclear)
            throw new Error(`${error.message} No key was created.`, { cause: error });
        result.unclear = `the creation of key "${name}"`;
        if (cancellation.urgent.aborted) {
            throw new src_result/* RunFailure */.a(`Cancelled (${cancellation.signal}) while the platform was creating key "${name}": outcome unknown: the key may exist, but its secret never reached this run, and no GitHub secret was changed.`, { cause: error, recovery: [lostKeyStep(newKey.name), rerun] });
        }
        const found = await platform.findKeyByName(newKey.name).catch(() => undefined);
        if (!found) {
            throw new src_result/* RunFailure */.a(`The answer to creating key "${name}" was unclear (${error.message}). No key of that name could be found now, but a slow manager may still create it; no GitHub secret was changed.`, { cause: error, recovery: [lostKeyStep(newKey.name), rerun] });
        }
        result.unclear = undefined;
        result.change(`created ${(0,resolve/* keyLabel */.w8)(found)}, whose secret never reached this run`);
        throw new src_result/* RunFailure */.a(`The answer to creating key "${name}" was unclear (${error.message}). ${(0,resolve/* keyLabel */.w8)(found)} now exists, but its secret never reached this run and no GitHub secret was changed.`, {
            cause: error,
            state: 'partial',
            recovery: [
                {
                    kind: 'delete-key',
                    id: found.id,
                    why: 'its secret never reached this run, so nothing holds it'
                },
                rerun
            ]
        });
    }
    const key = issued.key ?? (await platform.findKeyByName(newKey.name).catch(() => undefined));
    core/* info */.pq(`Created ${key ? (0,resolve/* keyLabel */.w8)(key) : `key "${name}"`}; its secret is masked`);
    return { secret: issued.secret, key };
}

;// CONCATENATED MODULE: ./src/operations/issue-secret.ts





/** Issues a new secret for `key`: the secret (masked) and the key as the platform returned it. */
async function regenerateSecret(context, key, options) {
    const { platform, cancellation } = context;
    if (!platform.regenerateSecret)
        throw new Error('This platform cannot regenerate a secret.');
    let issued;
    try {
        issued = await platform.regenerateSecret(key, options.authenticating);
    }
    catch (error) {
        if (!(error instanceof http_error/* HttpError */.j$))
            throw error;
        if (!error.unclear)
            throw new Error(`${error.message} The key's secret was not changed.`, { cause: error });
        context.result.unclear = `the regeneration of ${(0,resolve/* keyLabel */.w8)(key)}'s secret`;
        if (cancellation.urgent.aborted)
            throw abandonedOutcome(key, cancellation.signal, options, error);
        throw await unclearOutcome(context, key, error, options);
    }
    core/* info */.pq(`The manager issued a new secret for ${(0,resolve/* keyLabel */.w8)(key)} (masked)`);
    // The key ID is known from preflight; verification decides whether the secret works.
    return { secret: issued.secret, key: issued.key?.id === key.id ? issued.key : key };
}
/** After a lost answer for the idle key of a pair: the destinations hold the live key. */
const HARMLESS = 'This harms nobody: the destinations still hold the live key of the pair, which keeps working.';
/** A re-run issues a fresh secret; safe for a key the run does not authenticate with. */
const rerunFresh = (key) => ({
    kind: 'rerun',
    why: `it issues a fresh secret for key ${key.id} and stores it everywhere; until then the destinations may hold a secret that no longer works`
});
/** Rotating the authenticating key with another key, when its own secret may be dead. */
const withAnotherKey = (key) => ({
    kind: 'manual',
    text: `With another key whose role may edit API keys as api-secret-key, run this action with operation rotate and key-id ${key.id} into the same secret ` +
        '(or issue a new secret for the key in the console and store it by hand).'
});
/**
 * The regeneration was still open when the runner's SIGTERM came: the one loss no client can
 * prevent, always reported.
 */
function abandonedOutcome(key, signal, options, cause) {
    const unknown = `Cancelled (${signal}) while the manager was issuing a new secret for ${(0,resolve/* keyLabel */.w8)(key)}: outcome unknown: the key's secret may have been replaced, ` +
        'and the answer (with the new secret) never reached this run. No GitHub secret was changed.';
    if (options.idle)
        return new src_result/* RunFailure */.a(`${unknown} ${HARMLESS}`, {
            cause,
            recovery: [{ kind: 'rerun', why: 'the destinations hold the live key of the pair' }]
        });
    if (options.authenticating) {
        return new src_result/* RunFailure */.a(unknown, {
            cause,
            recovery: [
                {
                    kind: 'manual',
                    text: `Check whether api-secret-key still authenticates (operation describe, key-id current). If it does, re-running this workflow is safe. If it does not, go on:`
                },
                withAnotherKey(key)
            ]
        });
    }
    return new src_result/* RunFailure */.a(unknown, { cause, recovery: [rerunFresh(key)] });
}
/** What is known after an unclear answer to a regeneration, and what to do. */
async function unclearOutcome({ platform, result }, key, cause, options) {
    const unclear = `The answer to the regeneration of ${(0,resolve/* keyLabel */.w8)(key)}'s secret was unclear (${cause.message}).` +
        ' No second secret was issued: a slow manager may still complete the first request, which would kill any secret issued after it.';
    if (options.idle) {
        return new src_result/* RunFailure */.a(`${unclear} ${HARMLESS} No GitHub secret was changed.`, {
            cause,
            recovery: [{ kind: 'rerun', why: 'the destinations hold the live key of the pair' }]
        });
    }
    if (!options.authenticating) {
        return new src_result/* RunFailure */.a(`${unclear} The manager may have issued a new secret whose answer was lost: key ${key.id}'s previous secret may no longer work, and no GitHub secret was changed.`, { cause, recovery: [rerunFresh(key)] });
    }
    try {
        await platform.getAuthenticatingKey();
    }
    catch (error) {
        if (error instanceof http_error/* HttpError */.j$ && error.rejected) {
            // Settled: the manager acted, and its answer (the only copy of the secret) is lost.
            result.unclear = undefined;
            result.change('issued a new secret whose answer was lost (the previous secret no longer works)');
            return new src_result/* RunFailure */.a(`${unclear} The previous secret no longer authenticates: the manager issued a new secret that never reached this run, and no GitHub secret was changed; every destination holds a secret that no longer works.`, { cause, state: 'partial', recovery: [withAnotherKey(key)] });
        }
        return new src_result/* RunFailure */.a(`${unclear} Whether the previous secret still works could not be checked (${(0,redaction/* errorText */.kc)(error)}). No GitHub secret was changed.`, {
            cause,
            recovery: [
                {
                    kind: 'manual',
                    text: `Check whether api-secret-key still authenticates (operation describe, key-id current). If it does, re-running this workflow is safe once the manager answers normally. If it does not, go on:`
                },
                withAnotherKey(key)
            ]
        });
    }
    return new src_result/* RunFailure */.a(`${unclear} The previous secret still authenticated when checked, and no GitHub secret was changed; ` +
        'if the manager completes the request later, the previous secret stops working.', {
        cause,
        recovery: [
            {
                kind: 'rerun',
                why: 'once the manager answers normally again (wait a few minutes: a slow manager completing the lost request would kill a secret issued before it); if api-secret-key is locked out by then, rotate the key with another key whose role may edit API keys'
            }
        ]
    });
}

;// CONCATENATED MODULE: ./src/operations/replace.ts













/*
 * rotate on a platform that cannot issue a new secret for a key (vision-one): a new key takes
 * over (SPEC 6). Until every destination holds the new key's token, the old key is untouched,
 * so every destination holds a working token at every moment: preflight (the keys, every
 * destination writable) changes nothing; the new key is created once and its token sealed,
 * printed and verified before the first write; only when every destination holds it, and it
 * still works, is the old key deleted and the new key given the old name. A run that stopped half
 * way left `<name>-next-<time>` keys (created at that time), which the next run replaces together
 * with `<name>`.
 */
/** The suffix of a new key's name until it takes the old name: `-next-20261129153000`. */
const NEXT_SUFFIX_LENGTH = '-next-'.length + 14;
/** The longest key name the platform accepts (UTF-16 code units, as JavaScript counts). */
const MAX_NAME_LENGTH = 128;
/** How far a leftover's creation may be from the time in its name (clocks differ a little). */
const STAMP_SLACK_MS = 60 * 60 * 1000;
/** `replace`, or `alternate` on a platform that replaces keys. */
async function replace(settings, context) {
    const { platform, github, clock, result } = context;
    const { store } = settings;
    const months = settings.expiryMonths ?? 3;
    result.secretName = store.secretName;
    const plan = planWrites(store, false);
    const { group, live, newName, delivery, seen } = await (0,phase/* phase */.O)('Preflight', context, async () => {
        const [keys, delivery] = await Promise.all([
            platform.listKeys(),
            prepareDelivery(github, store, clock, result.leftProbes, { probes: !settings.dryRun })
        ]);
        const now = clock.now();
        const target = settings.strategy === 'replace'
            ? { group: groupOf(keys, settings.keyName), live: undefined }
            : choosePair(settings, keys, now, (0,dates/* addMonths */.PS)(now, months), platform.keysNeverExpire);
        checkReplaceable(target.group.key, platform);
        const newName = nextName(target.group.name, now);
        const taken = keys.find((k) => k.name.toLowerCase() === newName.toLowerCase());
        if (taken) {
            throw new Error(`The new key's name "${(0,redaction/* logSafe */.sN)(newName)}" is taken (${(0,resolve/* keyLabel */.w8)(taken)}): another rotation of this key runs at the same time? Nothing was changed.`);
        }
        const { old } = target.group;
        core/* info */.pq(`Replacing ${old.map(resolve/* keyLabel */.w8).join(' and ')} with a new key "${(0,redaction/* logSafe */.sN)(newName)}" (role ${(0,resolve/* roleLabel */.bR)(target.group.key.role)}${settings.expiryMonths === undefined ? '' : `, ${months} month(s)`})` +
            `${target.live ? ` (idle key of the pair; ${(0,resolve/* keyLabel */.w8)(target.live)} is live and stays untouched)` : ''}` +
            ` whose token goes to ${delivery.labels.length} destination(s) as ${store.secretName}`);
        return { ...target, newName, delivery, seen: new Set(keys.map((k) => k.id)) };
    });
    result.key = group.key;
    result.previousKey = live ?? group.key;
    const roleNamed = (0,resolve/* lookUpRoleName */.S8)(context, group.key);
    if (!live)
        result.previousDeleted = false;
    if (settings.dryRun) {
        result.destinations = delivery.labels.map((label) => ({ label, status: 'planned' }));
        result.note(`would create key "${(0,redaction/* logSafe */.sN)(newName)}", write its token to ${delivery.labels.length} secret(s) (${writesText(plan)}), ` +
            `then delete ${group.old.map((k) => `key ${k.id}`).join(' and ')} and rename the new key to "${(0,redaction/* logSafe */.sN)(group.name)}"`);
        core/* info */.pq('Dry run: every destination is readable; nothing was written and no key was created');
        return roleNamed;
    }
    await (0,phase/* phase */.O)('Preflight write', context, async () => {
        context.cancellation.throwIfRequested();
        await delivery.proveWriteAccess(undefined);
    });
    let issued;
    try {
        issued = await (0,phase/* phase */.O)('Create', context, () => (0,phase/* change */.Z)(context, `the creation of key "${(0,redaction/* logSafe */.sN)(newName)}"`, () => createNext(context, group, newName, months, store.verify)));
    }
    catch (error) {
        await delivery.abort();
        throw error;
    }
    const created = issued.key;
    result.key = created;
    result.expirySet = created.expiresAt;
    result.change(`created ${(0,resolve/* keyLabel */.w8)(created)} to take over from ${group.old.map(resolve/* keyLabel */.w8).join(' and ')}`);
    // Whether the new key has the old key's network limits (where the platform has them).
    let limited = !platform.restrictLike;
    let probesRemoved;
    try {
        // The probes go beside the take-over's first round trip (they are no longer needed once
        // every destination confirmed its write).
        ;
        ({ probesRemoved } = await storeSecret(context, delivery, issued, store.verify, true, () => restrictLikeOld(context, created, group.key).then(() => {
            limited = true;
        }), true));
    }
    catch (error) {
        const writes = result.destinations ?? [];
        const untouched = `${group.old.map(resolve/* keyLabel */.w8).join(' and ')} ${group.old.length === 1 ? 'is' : 'are'} untouched and keep${group.old.length === 1 ? 's' : ''} working.`;
        if (writes.some((w) => w.status !== 'failed' && w.status !== 'skipped')) {
            // Some destination holds (or may hold) the new token: the new key stays, and every
            // destination holds a working token (the new one, or the old one, untouched).
            throw new src_result/* RunFailure */.a(`${(0,redaction/* errorText */.kc)(error)} ${untouched} The destinations without the new token still hold the old one, which works; the new ${(0,resolve/* keyLabel */.w8)(created)} is kept while a destination may hold it.`, {
                cause: error,
                recovery: [
                    {
                        kind: 'rerun',
                        why: live
                            ? `every destination holds a working token; a re-run stores a fresh key everywhere and keeps ${(0,resolve/* keyLabel */.w8)(created)}, which a destination may hold, until the live key has replaced it everywhere`
                            : `every destination holds a working token; a re-run creates a fresh key, stores it everywhere, then deletes ${[...group.old, created].map((k) => `key ${k.id}`).join(' and ')}`
                    }
                ]
            });
        }
        // No destination holds the new token: nothing depends on the new key, so it goes (also
        // after a first signal: it is this run's own clean-up).
        const cleanup = await deleteCreatedKey(context, created, newName);
        const lacks = limited
            ? ''
            : ` The new ${(0,resolve/* keyLabel */.w8)(created)} lacks the network limits of ${(0,resolve/* keyLabel */.w8)(group.key)}.`;
        throw new src_result/* RunFailure */.a(`${(0,redaction/* errorText */.kc)(error)}${lacks} ${cleanup.text} ${untouched}`, {
            cause: error,
            ...(cleanup.deleted && result.unclear === undefined && { state: 'unchanged' }),
            recovery: [
                ...cleanup.steps,
                {
                    kind: 'rerun',
                    why: `every destination holds the old, working token of ${(0,resolve/* keyLabel */.w8)(group.key)}`
                }
            ]
        });
    }
    try {
        // In before the old key (maybe the authenticating one) is deleted.
        await roleNamed;
        await (0,phase/* phase */.O)('Take over', context, () => takeOver(context, group, issued, seen, store.verify));
    }
    finally {
        await probesRemoved;
    }
}
/**
 * Every destination holds the new token: the old keys are deleted and the new key takes the
 * old name. Each of these calls runs with `api-secret-key`, and once more with the new token
 * when that is rejected (the old key may have been the one that authenticates). Whatever stops
 * it, every destination holds the new key's working token, and a re-run finishes the work (it
 * replaces the keys left together), so that is the recovery.
 */
async function takeOver(context, group, { secret, key: created }, seen, verify) {
    const { platform, result } = context;
    const fallback = platform.withSecret(secret);
    const either = (call) => call(platform).catch((error) => {
        if (error instanceof http_error/* HttpError */.j$ && (error.status === 401 || error.status === 403))
            return call(fallback);
        throw error;
    });
    const holds = `Every destination holds the token of the new ${(0,resolve/* keyLabel */.w8)(created)}`;
    const kept = `${group.old.map(resolve/* keyLabel */.w8).join(' and ')} ${group.old.length === 1 ? 'is' : 'are'} kept and keep${group.old.length === 1 ? 's' : ''} working`;
    const rerun = (why) => [{ kind: 'rerun', why }];
    const finishes = rerun('every destination holds a working token, and a re-run completes the rotation with a fresh key');
    // The new key may have gone (or been disabled) while its token was written: the old keys are
    // the only working ones then, so they stay. (verify: false skips this as it skips the first.)
    // Both checks only read: they share one round trip, and nothing is deleted unless both pass.
    const [verified, alone] = await Promise.allSettled([
        verify ? platform.verifySecret(secret, created) : Promise.resolve(),
        checkAlone(platform, group, created, seen, kept)
    ]);
    if (verified.status === 'rejected') {
        const error = verified.reason;
        const { signal } = context.cancellation;
        throw new src_result/* RunFailure */.a(signal
            ? `${holds}. The run was cancelled (${signal}) while checking the new token once more, before deleting anything: ${kept}.`
            : `${holds}, but it no longer authenticates (${(0,redaction/* errorText */.kc)(error)}): ${kept}, but no destination holds them. Check the new key (operation describe).`, { cause: error, recovery: finishes });
    }
    if (alone.status === 'rejected') {
        const error = alone.reason;
        if (error instanceof src_result/* RunFailure */.a)
            throw error;
        throw new src_result/* RunFailure */.a(`${holds}. Looking for another rotation of "${(0,redaction/* logSafe */.sN)(group.name)}" before deleting anything failed (${(0,redaction/* errorText */.kc)(error)}): nothing was deleted; ${kept}.`, { cause: error, recovery: finishes });
    }
    // A run stopped half way must leave what a re-run takes for the keys to replace: the key of
    // the name with leftovers beside it, or one leftover alone. So the key of the name goes last,
    // and when no key has the name, the new key takes it before anything is deleted.
    const order = [
        ...group.old.filter((k) => k !== group.key),
        ...group.old.filter((k) => k === group.key)
    ];
    const nameFree = group.key.name !== group.name;
    try {
        if (nameFree)
            await rename(context, either, group, created, order);
        // The rename's first read goes beside the deletions.
        else
            platform.readAhead?.(created.id);
        for (const [i, old] of order.entries()) {
            try {
                await (0,phase/* change */.Z)(context, `the deletion of the old ${(0,resolve/* keyLabel */.w8)(old)}`, () => either((p) => p.deleteKey(old.id)));
                result.change(`deleted the old ${(0,resolve/* keyLabel */.w8)(old)}`);
                if (old.id === result.previousKey?.id)
                    result.previousDeleted = true;
            }
            catch (error) {
                if (error instanceof key_platform/* KeyNotFoundError */.bU) {
                    result.note(`the old ${(0,resolve/* keyLabel */.w8)(old)} was already gone`);
                    if (old.id === result.previousKey?.id)
                        result.previousDeleted = true;
                    continue;
                }
                const left = order.slice(i);
                const cause = error instanceof src_cancellation/* CancelledError */.cc
                    ? `The run was cancelled (${error.signal}) before the deletion of the old ${(0,resolve/* keyLabel */.w8)(old)}`
                    : `Deleting the old ${(0,resolve/* keyLabel */.w8)(old)} failed (${(0,redaction/* errorText */.kc)(error)}${error instanceof http_error/* HttpError */.j$ && error.unclear ? '; it may have been deleted' : ''})`;
                throw new src_result/* RunFailure */.a(`${holds}. ${cause}: ${left.map(resolve/* keyLabel */.w8).join(' and ')} ${left.length === 1 ? 'is' : 'are'} not deleted yet, and the new key is not renamed to "${(0,redaction/* logSafe */.sN)(group.name)}".`, { cause: error, recovery: finishes });
            }
        }
        if (!nameFree)
            await rename(context, either, group, created, []);
    }
    finally {
        fallback.dispose();
    }
}
/**
 * A step of a take-over: the new key takes the old name (last, or first when no key has it). A failure is a warning (the key
 * works under its present name, and the next rotation takes it for the key to replace), unless
 * the run was cancelled: a cancelled run never ends green.
 */
async function rename(context, either, group, created, 
/** The old keys not deleted yet (the rename comes first when no key has the name). */
left) {
    const { result, cancellation } = context;
    const holds = `Every destination holds the token of ${(0,resolve/* keyLabel */.w8)(created)}${left.length ? '' : ' and the old key is deleted'}`;
    try {
        const renamed = await (0,phase/* change */.Z)(context, `the rename of ${(0,resolve/* keyLabel */.w8)(created)}`, () => either((p) => p.updateKey(created.id, { name: group.name })));
        result.key = renamed;
        result.change(`renamed key ${created.id} to "${(0,redaction/* logSafe */.sN)(group.name)}"`);
        core/* info */.pq(`${(0,resolve/* keyLabel */.w8)(renamed)} took over; every destination holds its token`);
    }
    catch (error) {
        const maybe = error instanceof http_error/* HttpError */.j$ && error.unclear;
        const what = maybe
            ? `renaming it to "${(0,redaction/* logSafe */.sN)(group.name)}" got no clear answer (${(0,redaction/* errorText */.kc)(error)}): it may or may not be renamed`
            : error instanceof src_cancellation/* CancelledError */.cc
                ? `the run was cancelled (${error.signal}) before renaming it to "${(0,redaction/* logSafe */.sN)(group.name)}"`
                : `renaming it to "${(0,redaction/* logSafe */.sN)(group.name)}" failed (${(0,redaction/* errorText */.kc)(error)})`;
        const next = `The key works under either name; the next rotation of "${(0,redaction/* logSafe */.sN)(group.name)}" takes it for the key to replace.`;
        if (cancellation.signal) {
            // The old keys, which no destination holds, go first: a re-run then finds the new key
            // as the one to replace, under either name.
            throw new src_result/* RunFailure */.a(`${holds}; ${what}. ${next}`, {
                cause: error,
                recovery: [
                    ...left.map((old) => ({
                        kind: 'delete-key',
                        id: old.id,
                        why: `every destination holds the token of ${(0,resolve/* keyLabel */.w8)(created)}, which replaces it`
                    })),
                    {
                        kind: 'rerun',
                        why: `it takes ${(0,resolve/* keyLabel */.w8)(created)} for the key to replace, under either name`
                    }
                ]
            });
        }
        // The rename is cosmetic and its outcome is told: the rotation itself is done.
        result.unclear = undefined;
        core/* warning */.$e(`${holds}, but ${what}. ${next}`);
    }
}
/**
 * Before anything is deleted: no other rotation of the same name may have begun meanwhile (a
 * key of that name, or a `-next-` key of this time, that was not there at preflight and is not
 * this run's). Two rotations that take over at once could leave the destinations with a key the
 * other one deletes.
 */
async function checkAlone(platform, group, created, seen, kept) {
    const prefix = `${baseName(group.name)}-next-`;
    const others = (await platform.listKeys()).filter((k) => k.id !== created.id &&
        !seen.has(k.id) &&
        (k.name === group.name || (k.name.startsWith(prefix) && madeAt(k, prefix.length))));
    if (others.length === 0)
        return;
    throw new src_result/* RunFailure */.a(`Another rotation of "${(0,redaction/* logSafe */.sN)(group.name)}" seems to run at the same time: ${others.map(resolve/* keyLabel */.w8).join(', ')} appeared while this run wrote the token of ${(0,resolve/* keyLabel */.w8)(created)}. ` +
        `This run stops before deleting anything: ${kept}, and every key the destinations may hold works.`, {
        recovery: [
            {
                kind: 'rerun',
                why: 'once the other run has ended (runs of one secret share a concurrency group in the reusable workflow): it replaces the keys left together'
            }
        ]
    });
}
/** Creates the new key once; an unclear answer is never retried, and a key it made is removed. */
async function createNext(context, group, name, months, proveBeside) {
    const { platform, cancellation, result } = context;
    const untouched = `${group.old.map(resolve/* keyLabel */.w8).join(' and ')} ${group.old.length === 1 ? 'is' : 'are'} untouched and no GitHub secret was changed.`;
    const rerun = {
        kind: 'rerun',
        why: `every destination holds the old, working token; a re-run replaces a key named "${(0,redaction/* logSafe */.sN)(name)}" together with the old key`
    };
    let issued;
    try {
        issued = await platform.createKey({
            name,
            description: group.key.description ?? '',
            role: { ...group.key.role, name: group.key.role.name ?? '' },
            lifetimeMonths: months,
            replacing: group.key,
            proveBeside
        });
    }
    catch (error) {
        if (!(error instanceof http_error/* HttpError */.j$))
            throw error;
        if (!error.unclear)
            throw new Error(`${error.message} No key was created; ${untouched}`, { cause: error });
        if (cancellation.urgent.aborted) {
            throw new src_result/* RunFailure */.a(`Cancelled (${cancellation.signal}) while the platform was creating key "${(0,redaction/* logSafe */.sN)(name)}": outcome unknown; ${untouched} ` +
                `If a key named "${(0,redaction/* logSafe */.sN)(name)}" exists, its token is lost.`, { cause: error, recovery: [lostKeyStep(name), rerun] });
        }
        const lost = await removeLost(context, name);
        throw new src_result/* RunFailure */.a(`The answer to creating key "${(0,redaction/* logSafe */.sN)(name)}" was unclear (${error.message}); it is never sent twice. ${lost.text} ${untouched}`, {
            cause: error,
            // Nothing changed once no key of the name is left (a key left is a change).
            ...(result.unclear === undefined &&
                lost.steps.length === 0 && { state: 'unchanged' }),
            recovery: [...lost.steps, rerun]
        });
    }
    const key = issued.key ?? (await platform.findKeyByName(name).catch(() => undefined));
    if (!key) {
        throw new src_result/* RunFailure */.a(`The platform answered with a token but no key, and no key named "${(0,redaction/* logSafe */.sN)(name)}" could be found: the token was not stored. ${untouched}`, { recovery: [lostKeyStep(name), rerun] });
    }
    core/* info */.pq(`Created ${(0,resolve/* keyLabel */.w8)(key)}; its token is masked`);
    return { secret: issued.secret, key, proven: issued.proven };
}
/**
 * After an unclear create: the key, if it exists, holds a token nobody has; it goes. Clears the
 * create's unclear outcome when the lookup settles it.
 */
async function removeLost({ platform, result }, name) {
    let found;
    try {
        found = await platform.findKeyByName(name);
    }
    catch (error) {
        return {
            text: `Whether key "${(0,redaction/* logSafe */.sN)(name)}" was created could not be checked (${(0,redaction/* errorText */.kc)(error)}).`,
            steps: [lostKeyStep(name)]
        };
    }
    if (!found) {
        return {
            text: `No key named "${(0,redaction/* logSafe */.sN)(name)}" exists now, but a slow platform may still create it.`,
            steps: [lostKeyStep(name)]
        };
    }
    try {
        await platform.deleteKey(found.id);
        result.unclear = undefined;
        return {
            text: `${(0,resolve/* keyLabel */.w8)(found)} had been created, but its token never reached this run: it was deleted.`,
            steps: []
        };
    }
    catch (error) {
        result.unclear = undefined;
        if (await goneAfter(platform, found.id, error)) {
            return {
                text: `${(0,resolve/* keyLabel */.w8)(found)} had been created, but its token never reached this run: it was deleted (its delete got no clear answer, and it can no longer be read).`,
                steps: []
            };
        }
        result.change(`created ${(0,resolve/* keyLabel */.w8)(found)}, whose token never reached this run`);
        return {
            text: `${(0,resolve/* keyLabel */.w8)(found)} had been created, but its token never reached this run, and deleting it failed (${(0,redaction/* errorText */.kc)(error)}).`,
            steps: [
                {
                    kind: 'delete-key',
                    id: found.id,
                    why: 'its token never reached this run, so nothing holds it'
                }
            ]
        };
    }
}
/**
 * The keys `name` stands for: the key of that name with the `<name>-next-*` keys an earlier run
 * left, or, when no key has the name, the one `<name>-next-*` key that took over without being
 * renamed. A leftover is a key whose name carries the time it was created at (an hour either
 * way); the keys named in `others` (the other key of a pair) never are.
 */
function groupOf(keys, name, others = []) {
    const prefix = `${baseName(name)}-next-`;
    const left = keys.filter((k) => k.name.startsWith(prefix) && !others.includes(k.name) && madeAt(k, prefix.length));
    const [named, ...twins] = keys.filter((k) => k.name === name);
    if (twins.length > 0) {
        throw new Error(`Several API keys are named "${(0,redaction/* logSafe */.sN)(name)}" (${[named, ...twins].map(resolve/* keyLabel */.w8).join(', ')}): which one the destinations hold is not known. Rename or delete the others, then run the rotation again. Nothing was changed.`);
    }
    if (named) {
        if (left.length > 0)
            core/* notice */.lm(`An earlier rotation left ${left.map(resolve/* keyLabel */.w8).join(', ')}: the new key replaces them together with ${(0,resolve/* keyLabel */.w8)(named)}.`);
        return { name, key: named, old: [named, ...left] };
    }
    if (left.length === 1) {
        core/* notice */.lm(`No key is named "${(0,redaction/* logSafe */.sN)(name)}", but ${(0,resolve/* keyLabel */.w8)(left[0])} is left from an earlier rotation: it is the key to replace.`);
        return { name, key: left[0], old: left };
    }
    throw new Error(left.length === 0
        ? `No API key named "${(0,redaction/* logSafe */.sN)(name)}" exists (key-name); nothing was changed.${(0,resolve/* didYouMean */.au)(name, keys.map((k) => k.name))}`
        : `No API key is named "${(0,redaction/* logSafe */.sN)(name)}", and earlier rotations left several keys in its place (${left.map(resolve/* keyLabel */.w8).join(', ')}): ` +
            'delete the ones no destination holds (operation delete), then run the rotation again. Nothing was changed.');
}
/** True when `key`'s name ends (after `at` characters) in the time the key was created. */
function madeAt(key, at) {
    const stamp = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(key.name.slice(at));
    if (!stamp || key.createdAt === undefined)
        return false;
    const [, y, mo, d, h, mi, s] = stamp.map(Number);
    return Math.abs(Date.UTC(y, mo - 1, d, h, mi, s) - key.createdAt) <= STAMP_SLACK_MS;
}
/** The key must be enabled, and its role one the platform still gives to a new key. */
function checkReplaceable(key, platform) {
    if (!key.active) {
        throw new Error(`${(0,resolve/* keyLabel */.w8)(key)} is disabled: somebody locked it on purpose, and a key replacing it would not be. Unlock it (operation unlock) first. Nothing was changed.`);
    }
    if (!key.role.name && !key.role.id) {
        throw new Error(`The role of ${(0,resolve/* keyLabel */.w8)(key)} is not known, so no key can take over with the same role. Nothing was changed.`);
    }
    if (key.role.name === platform.allPowerfulRole) {
        throw new Error(`${(0,resolve/* keyLabel */.w8)(key)} has the role "${platform.allPowerfulRole}", which Vision One no longer gives to a new key: no key could replace it with the same role. ` +
            'Give it the role its users need (operation set-role), then rotate it. Nothing was changed.');
    }
}
/**
 * `alternate`: the idle key (earlier expiry; none counts as earliest; a tie goes to the lower
 * ID) is replaced under its own name; the live key is never touched. Refused when the new key
 * would not expire later than the live key: the next run would take the live key for idle.
 */
function choosePair(settings, keys, now, newExpiry, neverExpire = false) {
    const names = settings.pair.map((selector) => {
        if (selector.by !== 'name')
            throw new Error('strategy alternate names its keys with key-name');
        return selector.name;
    });
    const [first, second] = names.map((name) => groupOf(keys, name, names));
    if (first.key.id === second.key.id) {
        throw new Error(`strategy alternate needs two different keys; both name ${(0,resolve/* keyLabel */.w8)(first.key)}. Nothing was changed.`);
    }
    // Where no key expires, the key replaced longer ago (created earlier) is idle.
    const expiry = (k) => (neverExpire ? k.createdAt : k.expiresAt) ?? -Infinity;
    const [idle, live] = expiry(first.key) < expiry(second.key) ||
        (expiry(first.key) === expiry(second.key) && (0,resolve/* compareKeyIds */.jk)(first.key.id, second.key.id) < 0)
        ? [first, second]
        : [second, first];
    if (!neverExpire && newExpiry <= expiry(live.key)) {
        throw new Error(`The key replacing the idle ${(0,resolve/* keyLabel */.w8)(idle.key)} would expire on ${(0,dates/* isoDate */._$)(newExpiry)}, not later than the live ${(0,resolve/* keyLabel */.w8)(live.key)} (${(0,dates/* isoDate */._$)(live.key.expiresAt)}): ` +
            'the next run would then take the live key for idle and replace the key the destinations hold. Raise expiry-months. Nothing was changed.');
    }
    if (live.old.length > 1)
        core/* notice */.lm(`${live.old.slice(1).map(resolve/* keyLabel */.w8).join(', ')} are left from an earlier rotation of the live key: they are not touched.`);
    // A key an earlier run of the idle key left may be held by a destination (or a running job):
    // it goes only once the live key, which took its name after it, has replaced it everywhere.
    const liveTookOver = live.key.name === names[idle === first ? 1 : 0];
    const held = idle.old.filter((k) => k !== idle.key &&
        !(liveTookOver && (live.key.createdAt ?? -Infinity) > (k.createdAt ?? Infinity)));
    if (held.length > 0) {
        core/* notice */.lm(`${held.map(resolve/* keyLabel */.w8).join(', ')} ${held.length === 1 ? 'is' : 'are'} left from an earlier rotation of the idle key, which may have stored ${held.length === 1 ? 'its token' : 'their tokens'}: kept this time, so that no job holding ${held.length === 1 ? 'it' : 'them'} fails; a later rotation deletes ${held.length === 1 ? 'it' : 'them'} once the live key has replaced ${held.length === 1 ? 'it' : 'them'} everywhere.`);
    }
    core/* info */.pq(`Pair: ${(0,resolve/* keyLabel */.w8)(idle.key)} is idle (expiry ${(0,dates/* isoDate */._$)(idle.key.expiresAt) || 'none'}), ${(0,resolve/* keyLabel */.w8)(live.key)} is live (expiry ${(0,dates/* isoDate */._$)(live.key.expiresAt) || 'none'})`);
    // A replaced key goes to the destinations when it is created.
    (0,resolve/* warnRecentTurn */.Ri)(idle.key, live.key, (k) => (k.createdAt ?? -Infinity) > now - dates/* DAY_MS */.sO, now);
    return { group: { ...idle, old: idle.old.filter((k) => !held.includes(k)) }, live: live.key };
}
/** `<name>-next-<UTC yyyymmddHHMMss>`, within 128 characters. */
function nextName(name, now) {
    const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
    return `${baseName(name)}-next-${stamp}`;
}
/**
 * `name`, or when it is too long for the suffix, its start and 8 hex digits of its SHA-256: two
 * long names that share their start keep apart (never a surrogate pair cut in half).
 */
function baseName(name) {
    const room = MAX_NAME_LENGTH - NEXT_SUFFIX_LENGTH;
    if (name.length <= room)
        return name;
    const hash = (0,external_node_crypto_.createHash)('sha256').update(name).digest('hex').slice(0, 8);
    let start = '';
    for (const char of name) {
        if (start.length + char.length > room - hash.length - 1)
            break;
        start += char;
    }
    return `${start}-${hash}`;
}
/**
 * The new key (proven, held by no destination yet) gets the network limits of the key it
 * replaces, where the platform has them: a key in use never reaches further than the one before
 * it. It was made without them because a key limited to other addresses cannot be proven from
 * the runner. A failure leaves it held by no destination, so the caller deletes it.
 */
async function restrictLikeOld(context, created, old) {
    const { platform } = context;
    if (!platform.restrictLike)
        return;
    try {
        await (0,phase/* change */.Z)(context, `the network limits of ${(0,resolve/* keyLabel */.w8)(created)}`, () => platform.restrictLike(created, old));
    }
    catch (error) {
        throw new Error(`Giving the new ${(0,resolve/* keyLabel */.w8)(created)} the network limits of ${(0,resolve/* keyLabel */.w8)(old)} failed (${(0,redaction/* errorText */.kc)(error)}): the new key lacks them, so its secret was written nowhere.`, { cause: error });
    }
}

;// CONCATENATED MODULE: ./src/operations/rotate.ts













/*
 * Rotation, in an order that never leaves the only copy of the new secret in a process about
 * to fail: preflight (resolve the key, read every destination's public key, prove write
 * access) changes nothing a consumer notices; then the expiry, then one regeneration, then the
 * sealed copies are printed and every destination written while the secret is verified.
 * `alternate` regenerates the idle key of a pair, so the live key keeps working; a run that
 * fails before any destination may hold the idle key's new secret puts the idle key's expiry
 * back, so that the next run takes the same key for idle.
 */
/** Rotates a key's secret (or a pair's idle key's) into every destination. */
async function rotate(settings, context) {
    if (settings.strategy === 'regenerate')
        return regenerate(settings, context);
    // A platform that cannot issue a new secret for a key replaces the key (vision-one).
    if (settings.strategy === 'replace' || !context.platform.regenerateSecret)
        return replace(settings, context);
    return regenerate(settings, context);
}
/** `regenerate`, or `alternate` on a platform that issues new secrets for a key. */
async function regenerate(settings, context) {
    const { platform, github, clock, result } = context;
    const { store } = settings;
    result.secretName = store.secretName;
    // Only the authenticating key's own secret is re-written as the write proof, and never into an
    // organization secret that may not exist yet.
    const rewrites = settings.strategy === 'regenerate' &&
        settings.selector.by === 'authenticating' &&
        store.scope.kind !== 'organization';
    const plan = planWrites(store, rewrites);
    const { key, authenticating, live, delivery } = await (0,phase/* phase */.O)('Preflight', context, async () => {
        const [target, delivery] = await Promise.all([
            settings.strategy === 'alternate'
                ? rotate_choosePair(settings, context)
                : (0,resolve/* resolveKeyAndAuthenticating */.V8)(platform, settings.selector).then((k) => ({
                    ...k,
                    live: undefined
                })),
            prepareDelivery(github, store, clock, result.leftProbes, {
                probes: !rewrites && !settings.dryRun
            })
        ]);
        const { key, authenticating, live } = target;
        if (settings.expiryDays === undefined &&
            key.expiresAt !== undefined &&
            key.expiresAt <= clock.now()) {
            throw new Error(`${(0,resolve/* keyLabel */.w8)(key)} expired on ${(0,dates/* isoDate */._$)(key.expiresAt)}: a new secret for it could not authenticate. ` +
                'Set expiry-days (for example 90) to give it a new expiry with the rotation. Nothing was changed.');
        }
        core/* info */.pq(`Rotating ${(0,resolve/* keyLabel */.w8)(key)}${authenticating ? ' (the key this action authenticates with)' : ''}` +
            `${live ? ` (idle key of the pair; ${(0,resolve/* keyLabel */.w8)(live)} is live and stays untouched)` : ''}` +
            ` into ${delivery.labels.length} destination(s) as ${store.secretName}`);
        return { ...target, delivery };
    });
    result.key = key;
    result.previousKey = live;
    // Beside the preflight write; in before the regeneration revokes the secret it is sent with.
    const roleNamed = (0,resolve/* lookUpRoleName */.S8)(context, key);
    if (settings.dryRun) {
        await roleNamed;
        result.destinations = delivery.labels.map((label) => ({ label, status: 'planned' }));
        result.note(`would ${settings.expiryDays ? `set the expiry to ${settings.expiryDays} days from now, ` : ''}issue a new secret and write it to ${delivery.labels.length} secret(s) (${writesText(plan)})`);
        core/* info */.pq('Dry run: every destination is readable; nothing was written and no secret was issued');
        return;
    }
    await (0,phase/* phase */.O)('Preflight write', context, async () => {
        context.cancellation.throwIfRequested();
        await delivery.proveWriteAccess(authenticating ? settings.connection.apiSecretKey : undefined);
    });
    // alternate: what puts the idle key's expiry back when the run fails before the destinations
    // may hold its new secret.
    let putBack;
    let issued;
    try {
        issued = await (0,phase/* phase */.O)('Regenerate', context, async () => {
            if (settings.expiryDays !== undefined) {
                // Also after an unclear expiry update: putting the old expiry back is harmless.
                if (live)
                    putBack = () => putExpiryBack(context, key);
                const expiresAt = await setExpiry(context, key, settings.expiryDays);
                result.expirySet = expiresAt;
                result.key = { ...key, expiresAt };
                result.change(`expiry set to ${(0,dates/* isoDate */._$)(expiresAt)}`);
            }
            await roleNamed;
            return (0,phase/* change */.Z)(context, `the regeneration of ${(0,resolve/* keyLabel */.w8)(key)}'s secret`, () => regenerateSecret(context, result.key, { authenticating, idle: live !== undefined }));
        });
    }
    catch (error) {
        await delivery.abort();
        if (!putBack)
            throw error;
        const back = await putBack();
        // A refused regeneration with the expiry put back leaves the pair as it was.
        throw src_result/* RunFailure */.a.extend(error, back.text, {
            ...(back.ok && result.unclear === undefined && { state: 'unchanged' }),
            ...(!back.ok && { recovery: [back.step] })
        });
    }
    result.key = issued.key;
    result.change(live
        ? `issued a new secret for the idle key ${key.id} (key ${live.id} keeps working until its own expiry)`
        : 'issued a new secret (the previous secret no longer works)');
    try {
        await storeSecret(context, delivery, issued, store.verify);
    }
    catch (error) {
        const writes = result.destinations ?? [];
        // Only when no destination can hold the idle key's new secret may it become idle again.
        const noneMayHold = writes.every((w) => w.status === 'failed' || w.status === 'skipped');
        if (!putBack || writes.every(holders/* isStored */.m))
            throw error;
        if (!noneMayHold) {
            throw src_result/* RunFailure */.a.extend(error, `Replay them before the next rotation: until then the destinations that do not hold the new secret hold key ${live.id}, which the next rotation takes for idle.`);
        }
        const back = await putBack();
        result.replayVoid = true;
        throw src_result/* RunFailure */.a.extend(error, `${back.text} The destinations still hold the live key ${live.id}, which keeps working; the sealed copies of the idle key's new secret are not needed.`, {
            recovery: back.ok
                ? [
                    {
                        kind: 'rerun',
                        why: 'the destinations hold the live key of the pair, and the next run takes the same idle key'
                    }
                ]
                : [back.step]
        });
    }
}
/**
 * Sets the key's expiry to now + `days` (also for the authenticating key, through its ID: the
 * authenticating key's own path may not change it). Nothing else has changed if this fails.
 */
async function setExpiry(context, key, days) {
    const { platform, clock } = context;
    const expiresAt = clock.now() + days * dates/* DAY_MS */.sO;
    try {
        await (0,phase/* change */.Z)(context, expiryUpdate(key), () => platform.updateKey(key.id, { expiresAt }));
    }
    catch (error) {
        // The change is absolute: after an unclear answer, the key itself says whether it landed.
        const unclear = error instanceof http_error/* HttpError */.j$ && error.unclear;
        const landed = unclear &&
            (await platform.getKey(key.id).then((k) => k.expiresAt === expiresAt, () => false));
        // The read-back settles it either way when it found the new expiry.
        if (landed)
            context.result.unclear = undefined;
        if (!landed) {
            const rights = error instanceof http_error/* HttpError */.j$ && error.rejected
                ? ` Setting expiry-days needs a role that may edit API keys ("Edit API key properties").`
                : '';
            const state = unclear
                ? ` The key's expiry may or may not be ${(0,dates/* isoDate */._$)(expiresAt)} now; its secret was not changed.`
                : " Nothing was changed: the key's expiry and secret are as they were.";
            throw new src_result/* RunFailure */.a(`${(0,redaction/* errorText */.kc)(error)}${rights}${state}`, {
                cause: error,
                ...(unclear && {
                    recovery: [
                        {
                            kind: 'rerun',
                            why: 'the expiry update sets an absolute date, and no secret was issued'
                        }
                    ]
                })
            });
        }
    }
    core/* info */.pq(`Set the expiry of ${(0,resolve/* keyLabel */.w8)(key)} to ${(0,dates/* isoDate */._$)(expiresAt)}`);
    return expiresAt;
}
/** The expiry update of `key`, as a change under way or unclear. */
const expiryUpdate = (key) => `the expiry update of ${(0,resolve/* keyLabel */.w8)(key)}`;
/**
 * Puts the idle key's expiry back to what it was (now, when it had none: an idle key is unused,
 * and the next run revives it), so that the next run takes it for idle again. Runs after a
 * first signal too (it undoes this run's change); says what happened.
 */
async function putExpiryBack(context, idle) {
    const { platform, clock, result } = context;
    const expiresAt = idle.expiresAt ?? clock.now();
    const step = {
        kind: 'manual',
        text: `Set the expiry of ${(0,resolve/* keyLabel */.w8)(idle)} earlier than the live key's before the next rotation (with operation rotate it would otherwise take the live key for idle).`
    };
    try {
        await (0,key_platform/* withCleanUp */.pv)(platform, context.cancellation.signal !== undefined, (p) => p.updateKey(idle.id, { expiresAt }));
        result.key = { ...result.key, expiresAt };
        result.expirySet = undefined;
        // Whatever an unclear expiry update did, the expiry is known again.
        if (result.unclear === expiryUpdate(idle))
            result.unclear = undefined;
        result.change(`expiry put back to ${(0,dates/* isoDate */._$)(expiresAt)}`);
        return {
            ok: true,
            step,
            text: `The idle key's expiry was put back to ${(0,dates/* isoDate */._$)(expiresAt)}, so the next run takes ${(0,resolve/* keyLabel */.w8)(idle)} for idle again.`
        };
    }
    catch (putBackError) {
        return {
            ok: false,
            step,
            text: `Putting the idle key's expiry back failed too (${(0,redaction/* errorText */.kc)(putBackError)}): the destinations hold the other key of the pair, which is live.`
        };
    }
}
/**
 * `alternate`: resolves both keys of the pair. The idle key (earlier expiry; none counts as
 * earliest; a tie goes to the lower ID) gets the new secret; it must be active and must not
 * be the authenticating key, and its new expiry must be later than the live key's.
 */
async function rotate_choosePair(settings, { platform, clock }) {
    const now = clock.now();
    const [first, second, authenticatingKey] = await Promise.all([
        (0,resolve/* resolveKey */.oO)(platform, settings.pair[0]),
        (0,resolve/* resolveKey */.oO)(platform, settings.pair[1]),
        platform.getAuthenticatingKey()
    ]);
    if (first.id === second.id) {
        throw new Error(`strategy alternate needs two different keys; both name ${(0,resolve/* keyLabel */.w8)(first)}. Nothing was changed.`);
    }
    const expiry = (k) => k.expiresAt ?? -Infinity;
    const [idle, live] = expiry(first) < expiry(second) ||
        (expiry(first) === expiry(second) && (0,resolve/* compareKeyIds */.jk)(first.id, second.id) < 0)
        ? [first, second]
        : [second, first];
    if (!idle.active) {
        throw new Error(`The idle key of the pair, ${(0,resolve/* keyLabel */.w8)(idle)}, is locked (active: false): somebody locked it on purpose. ` +
            'Unlock it (operation unlock) if it should take its turn. Nothing was changed.');
    }
    if (idle.id === authenticatingKey?.id) {
        throw new Error(`The idle key of the pair, ${(0,resolve/* keyLabel */.w8)(idle)}, is the key this action authenticates with: regenerating it would cut this run off. ` +
            'Authenticate with another key (an admin key, or the live key of the pair). Nothing was changed.');
    }
    // inputs.ts requires expiry-days with alternate on a platform that regenerates.
    const expiryDays = settings.expiryDays ?? 0;
    const newExpiry = now + expiryDays * dates/* DAY_MS */.sO;
    if (newExpiry <= expiry(live)) {
        throw new Error(`The idle key ${(0,resolve/* keyLabel */.w8)(idle)} would expire on ${(0,dates/* isoDate */._$)(newExpiry)}, not later than the live key ${(0,resolve/* keyLabel */.w8)(live)} (${(0,dates/* isoDate */._$)(live.expiresAt)}): ` +
            'the next run would then take the live key for idle and kill the secret the destinations hold. ' +
            `Raise expiry-days above ${Math.ceil((expiry(live) - now) / dates/* DAY_MS */.sO)}, or set the live key's expiry earlier. Nothing was changed.`);
    }
    core/* info */.pq(`Pair: ${(0,resolve/* keyLabel */.w8)(idle)} is idle (expiry ${expiryText(idle)}), ${(0,resolve/* keyLabel */.w8)(live)} is live (expiry ${expiryText(live)})`);
    // The idle key's expiry was set less than a day ago: it was stored then, and jobs that read
    // it since may still be running when its secret is replaced now.
    (0,resolve/* warnRecentTurn */.Ri)(idle, live, (k) => k.expiresAt !== undefined && k.expiresAt > now + (expiryDays - 1) * dates/* DAY_MS */.sO, now);
    return { key: idle, authenticating: false, live };
}
function expiryText(key) {
    return key.expiresAt === undefined ? 'none' : (0,dates/* isoDate */._$)(key.expiresAt);
}

;// CONCATENATED MODULE: ./src/rotation.ts
/**
 * What only the operations that store a secret need (the GitHub client, libsodium, the
 * delivery), in one module that main.ts loads on demand, so that other operations start
 * without it.
 */





/***/ })

};

//# sourceMappingURL=713.index.js.map