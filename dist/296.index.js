export const id = 296;
export const ids = [296];
export const modules = {

/***/ 3296:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubSecretsClient: () => (/* binding */ GitHubSecretsClient),
/* harmony export */   OU: () => (/* binding */ secretWriteBody),
/* harmony export */   aC: () => (/* binding */ describeDestination),
/* harmony export */   vs: () => (/* binding */ GitHubSecretsError),
/* harmony export */   z1: () => (/* binding */ secretsPath)
/* harmony export */ });
/* unused harmony export GITHUB_WRITES_PER_MINUTE */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3340);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2413);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9809);
/* harmony import */ var _version_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1013);




/** A failed GitHub call, with the destination and what the user must do about it. */
class GitHubSecretsError extends Error {
    method;
    path;
    status;
    retryDecision;
    constructor(message, method, path, 
    /** HTTP status; undefined when no answer arrived. */
    status, retryDecision) {
        super(message);
        this.method = method;
        this.path = path;
        this.status = status;
        this.retryDecision = retryDecision;
        this.name = 'GitHubSecretsError';
    }
}
function describeDestination(destination) {
    switch (destination.kind) {
        case 'repository':
            return `repository ${destination.repository}`;
        case 'environment':
            return `environment "${destination.environment}" of ${destination.repository}`;
        case 'organization':
            return `organization ${destination.organization}`;
    }
}
/** The REST path of the destination's secrets collection (environment name URL-encoded). */
function secretsPath(destination) {
    switch (destination.kind) {
        case 'repository':
            return `/repos/${destination.repository}/actions/secrets`;
        case 'environment':
            return `/repos/${destination.repository}/environments/${encodeURIComponent(destination.environment)}/secrets`;
        case 'organization':
            return `/orgs/${destination.organization}/actions/secrets`;
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
/** GitHub's documented secondary limit on content-creating requests. */
const GITHUB_WRITES_PER_MINUTE = 80;
/** Reads public keys and writes Actions secrets through GitHub's REST API. */
class GitHubSecretsClient {
    options;
    octokit;
    retryPolicy;
    /** When recent writes were sent, oldest first, for the rolling-minute pacing. */
    writeTimes = [];
    pacingNoticeUntil = 0;
    constructor(options) {
        this.options = options;
        this.octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(options.token, {
            baseUrl: options.baseUrl,
            userAgent: _version_js__WEBPACK_IMPORTED_MODULE_2__/* .USER_AGENT */ ._O,
            log: {
                debug: () => undefined,
                info: () => undefined,
                warn: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message),
                error: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message)
            }
        });
        this.retryPolicy = {
            maxAttempts: options.maxAttempts,
            sleep: options.sleep,
            random: options.random,
            onRetry: ({ attempt, delayMs, error }) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${error instanceof Error ? error.message : String(error)}; retrying in ${delayMs} ms (attempt ${attempt + 1} of ${options.maxAttempts})`)
        };
    }
    /** The REST API base URL (GITHUB_API_URL). */
    get baseUrl() {
        return this.options.baseUrl;
    }
    async getPublicKey(destination) {
        const data = await this.call(destination, 'GET', `${secretsPath(destination)}/public-key`);
        if (typeof data?.key_id !== 'string' || typeof data.key !== 'string') {
            throw new GitHubSecretsError(`GitHub answered the public key of ${describeDestination(destination)} without key_id and key`, 'GET', `${secretsPath(destination)}/public-key`, 200, { retry: false });
        }
        return { key_id: data.key_id, key: data.key };
    }
    /** The current visibility and selected repositories of an organization secret; undefined if it does not exist yet. */
    async getOrganizationSecretAccess(organization, name) {
        const destination = { kind: 'organization', organization };
        const path = `${secretsPath(destination)}/${name}`;
        let secret;
        try {
            secret = await this.call(destination, 'GET', path, undefined, { notFoundIsAnswer: true });
        }
        catch (error) {
            if (error instanceof GitHubSecretsError && error.status === 404)
                return undefined;
            throw error;
        }
        const visibility = secret.visibility ?? 'private';
        if (visibility !== 'selected')
            return { visibility };
        const ids = [];
        for (let page = 1;; page++) {
            const list = await this.call(destination, 'GET', `${path}/repositories?per_page=100&page=${page}`);
            const repositories = list.repositories ?? [];
            ids.push(...repositories.map((r) => r.id));
            if (repositories.length < 100 || ids.length >= (list.total_count ?? 0))
                break;
        }
        return { visibility, selectedRepositoryIds: ids };
    }
    /** Creates or updates the secret; `created` when GitHub answered 201. */
    async putSecret(destination, name, sealed, access) {
        const status = await this.callStatus(destination, 'PUT', `${secretsPath(destination)}/${name}`, secretWriteBody(sealed, access));
        return status === 201 ? 'created' : 'updated';
    }
    async deleteSecret(destination, name) {
        await this.callStatus(destination, 'DELETE', `${secretsPath(destination)}/${name}`);
    }
    async call(destination, method, path, body, options = {}) {
        const response = await this.request(destination, method, path, body, options);
        return response.data;
    }
    async callStatus(destination, method, path, body) {
        return (await this.request(destination, method, path, body)).status;
    }
    request(destination, method, path, body, options = {}) {
        return (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .withRetry */ .bD)(async () => {
            if (method === 'PUT' || method === 'DELETE')
                await this.paceWrite();
            const started = Date.now();
            try {
                const response = await this.octokit.request(`${method} ${path}`, {
                    ...body,
                    request: { signal: AbortSignal.timeout(this.options.timeoutMs) }
                });
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`GitHub ${method} ${path} -> ${response.status} (${Date.now() - started} ms)`);
                return { status: response.status, data: response.data };
            }
            catch (error) {
                throw toGitHubError(error, destination, method, path, options.notFoundIsAnswer ?? false);
            }
        }, (error) => (error instanceof GitHubSecretsError ? error.retryDecision : { retry: false }), this.retryPolicy);
    }
    /**
     * Waits until a write fits under the rolling-minute limit, so that a fan-out to many
     * destinations paces itself instead of tripping GitHub's secondary limits.
     */
    async paceWrite() {
        const limit = this.options.writesPerMinute ?? GITHUB_WRITES_PER_MINUTE;
        const now = this.options.now ?? Date.now;
        for (;;) {
            const time = now();
            while (this.writeTimes.length > 0 && this.writeTimes[0] <= time - 60_000)
                this.writeTimes.shift();
            if (this.writeTimes.length < limit) {
                this.writeTimes.push(time);
                return;
            }
            const until = this.writeTimes[0] + 60_000;
            if (until > this.pacingNoticeUntil) {
                this.pacingNoticeUntil = until;
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Pacing secret writes under GitHub's limit of ${limit} a minute: waiting ${Math.ceil((until - time) / 1000)} s`);
            }
            await this.options.sleep(until - time);
        }
    }
}
/** Maps an Octokit failure to what the user must do, and to whether it may be retried. */
function toGitHubError(error, destination, method, path, notFoundIsAnswer) {
    const failure = error;
    const where = describeDestination(destination);
    const request = `${method} ${path}`;
    if (!failure.response) {
        const reason = error?.name === 'TimeoutError' || error?.name === 'AbortError'
            ? 'no answer in time'
            : (error?.message ?? String(error));
        return new GitHubSecretsError(`${request} failed: ${reason}`, method, path, undefined, {
            retry: true
        });
    }
    const status = failure.status ?? 0;
    const headers = failure.response.headers ?? {};
    const serverMessage = typeof failure.response.data?.message === 'string'
        ? failure.response.data.message
        : '';
    const said = `${request} answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`;
    const rateLimit = rateLimitDecision(status, headers, serverMessage);
    if (rateLimit) {
        return new GitHubSecretsError(`${said} (GitHub rate limit)`, method, path, status, rateLimit);
    }
    if (status >= 500) {
        return new GitHubSecretsError(said, method, path, status, { retry: true });
    }
    let advice;
    switch (status) {
        case 401:
            advice = 'GitHub rejected github-token: it is invalid, expired or revoked.';
            break;
        case 403:
            advice =
                `github-token may not write secrets of ${where}. The workflow's own GITHUB_TOKEN never can:` +
                    ' use a fine-grained personal access token or a GitHub App token with the repository permission' +
                    ' "Secrets: Read and write" (environment secrets: also "Environments: Read";' +
                    ' organization secrets: the organization permission "Secrets: Read and write").';
            break;
        case 404:
            advice = notFoundIsAnswer
                ? `${where}: not found.`
                : `${where} was not found, or github-token cannot see it: check the name and the token's repository or organization access.`;
            break;
        case 422:
            advice = `GitHub refused the request for ${where}.`;
            break;
        default:
            advice = `The request for ${where} failed.`;
    }
    return new GitHubSecretsError(`${said}. ${advice}`, method, path, status, { retry: false });
}
/**
 * GitHub's primary and secondary limits answer 403 or 429: honour retry-after, else wait for
 * x-ratelimit-reset when nothing remains, else wait at least a minute.
 */
function rateLimitDecision(status, headers, serverMessage) {
    if (status !== 403 && status !== 429)
        return undefined;
    const retryAfterMs = (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .parseRetryAfter */ .mu)(headers['retry-after']);
    if (retryAfterMs !== undefined)
        return { retry: true, afterMs: retryAfterMs };
    if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
        const resetMs = Number(headers['x-ratelimit-reset']) * 1000 - Date.now();
        return { retry: true, afterMs: Math.max(resetMs, 1000) };
    }
    if (status === 429 || /rate limit/i.test(serverMessage)) {
        return { retry: true, minDelayMs: 60_000 };
    }
    return undefined;
}


/***/ })

};

//# sourceMappingURL=296.index.js.map