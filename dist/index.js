import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 770:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

module.exports = __nccwpck_require__(218);


/***/ }),

/***/ 218:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var net = __nccwpck_require__(278);
var tls = __nccwpck_require__(756);
var http = __nccwpck_require__(611);
var https = __nccwpck_require__(692);
var events = __nccwpck_require__(434);
var assert = __nccwpck_require__(613);
var util = __nccwpck_require__(23);


exports.httpOverHttp = httpOverHttp;
exports.httpsOverHttp = httpsOverHttp;
exports.httpOverHttps = httpOverHttps;
exports.httpsOverHttps = httpsOverHttps;


function httpOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  return agent;
}

function httpsOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}

function httpOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  return agent;
}

function httpsOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}


function TunnelingAgent(options) {
  var self = this;
  self.options = options || {};
  self.proxyOptions = self.options.proxy || {};
  self.maxSockets = self.options.maxSockets || http.Agent.defaultMaxSockets;
  self.requests = [];
  self.sockets = [];

  self.on('free', function onFree(socket, host, port, localAddress) {
    var options = toOptions(host, port, localAddress);
    for (var i = 0, len = self.requests.length; i < len; ++i) {
      var pending = self.requests[i];
      if (pending.host === options.host && pending.port === options.port) {
        // Detect the request to connect same origin server,
        // reuse the connection.
        self.requests.splice(i, 1);
        pending.request.onSocket(socket);
        return;
      }
    }
    socket.destroy();
    self.removeSocket(socket);
  });
}
util.inherits(TunnelingAgent, events.EventEmitter);

TunnelingAgent.prototype.addRequest = function addRequest(req, host, port, localAddress) {
  var self = this;
  var options = mergeOptions({request: req}, self.options, toOptions(host, port, localAddress));

  if (self.sockets.length >= this.maxSockets) {
    // We are over limit so we'll add it to the queue.
    self.requests.push(options);
    return;
  }

  // If we are under maxSockets create a new one.
  self.createSocket(options, function(socket) {
    socket.on('free', onFree);
    socket.on('close', onCloseOrRemove);
    socket.on('agentRemove', onCloseOrRemove);
    req.onSocket(socket);

    function onFree() {
      self.emit('free', socket, options);
    }

    function onCloseOrRemove(err) {
      self.removeSocket(socket);
      socket.removeListener('free', onFree);
      socket.removeListener('close', onCloseOrRemove);
      socket.removeListener('agentRemove', onCloseOrRemove);
    }
  });
};

TunnelingAgent.prototype.createSocket = function createSocket(options, cb) {
  var self = this;
  var placeholder = {};
  self.sockets.push(placeholder);

  var connectOptions = mergeOptions({}, self.proxyOptions, {
    method: 'CONNECT',
    path: options.host + ':' + options.port,
    agent: false,
    headers: {
      host: options.host + ':' + options.port
    }
  });
  if (options.localAddress) {
    connectOptions.localAddress = options.localAddress;
  }
  if (connectOptions.proxyAuth) {
    connectOptions.headers = connectOptions.headers || {};
    connectOptions.headers['Proxy-Authorization'] = 'Basic ' +
        new Buffer(connectOptions.proxyAuth).toString('base64');
  }

  debug('making CONNECT request');
  var connectReq = self.request(connectOptions);
  connectReq.useChunkedEncodingByDefault = false; // for v0.6
  connectReq.once('response', onResponse); // for v0.6
  connectReq.once('upgrade', onUpgrade);   // for v0.6
  connectReq.once('connect', onConnect);   // for v0.7 or later
  connectReq.once('error', onError);
  connectReq.end();

  function onResponse(res) {
    // Very hacky. This is necessary to avoid http-parser leaks.
    res.upgrade = true;
  }

  function onUpgrade(res, socket, head) {
    // Hacky.
    process.nextTick(function() {
      onConnect(res, socket, head);
    });
  }

  function onConnect(res, socket, head) {
    connectReq.removeAllListeners();
    socket.removeAllListeners();

    if (res.statusCode !== 200) {
      debug('tunneling socket could not be established, statusCode=%d',
        res.statusCode);
      socket.destroy();
      var error = new Error('tunneling socket could not be established, ' +
        'statusCode=' + res.statusCode);
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    if (head.length > 0) {
      debug('got illegal response body from proxy');
      socket.destroy();
      var error = new Error('got illegal response body from proxy');
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    debug('tunneling connection has established');
    self.sockets[self.sockets.indexOf(placeholder)] = socket;
    return cb(socket);
  }

  function onError(cause) {
    connectReq.removeAllListeners();

    debug('tunneling socket could not be established, cause=%s\n',
          cause.message, cause.stack);
    var error = new Error('tunneling socket could not be established, ' +
                          'cause=' + cause.message);
    error.code = 'ECONNRESET';
    options.request.emit('error', error);
    self.removeSocket(placeholder);
  }
};

TunnelingAgent.prototype.removeSocket = function removeSocket(socket) {
  var pos = this.sockets.indexOf(socket)
  if (pos === -1) {
    return;
  }
  this.sockets.splice(pos, 1);

  var pending = this.requests.shift();
  if (pending) {
    // If we have pending requests and a socket gets closed a new one
    // needs to be created to take over in the pool for the one that closed.
    this.createSocket(pending, function(socket) {
      pending.request.onSocket(socket);
    });
  }
};

function createSecureSocket(options, cb) {
  var self = this;
  TunnelingAgent.prototype.createSocket.call(self, options, function(socket) {
    var hostHeader = options.request.getHeader('host');
    var tlsOptions = mergeOptions({}, self.options, {
      socket: socket,
      servername: hostHeader ? hostHeader.replace(/:.*$/, '') : options.host
    });

    // 0 is dummy port for v0.6
    var secureSocket = tls.connect(0, tlsOptions);
    self.sockets[self.sockets.indexOf(socket)] = secureSocket;
    cb(secureSocket);
  });
}


function toOptions(host, port, localAddress) {
  if (typeof host === 'string') { // since v0.10
    return {
      host: host,
      port: port,
      localAddress: localAddress
    };
  }
  return host; // for v0.11 or later
}

function mergeOptions(target) {
  for (var i = 1, len = arguments.length; i < len; ++i) {
    var overrides = arguments[i];
    if (typeof overrides === 'object') {
      var keys = Object.keys(overrides);
      for (var j = 0, keyLen = keys.length; j < keyLen; ++j) {
        var k = keys[j];
        if (overrides[k] !== undefined) {
          target[k] = overrides[k];
        }
      }
    }
  }
  return target;
}


var debug;
if (process.env.NODE_DEBUG && /\btunnel\b/.test(process.env.NODE_DEBUG)) {
  debug = function() {
    var args = Array.prototype.slice.call(arguments);
    if (typeof args[0] === 'string') {
      args[0] = 'TUNNEL: ' + args[0];
    } else {
      args.unshift('TUNNEL:');
    }
    console.error.apply(console, args);
  }
} else {
  debug = function() {};
}
exports.debug = debug; // for test


/***/ }),

/***/ 632:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   cc: () => (/* binding */ CancelledError),
/* harmony export */   mQ: () => (/* binding */ URGENT_REPORT_MS),
/* harmony export */   mT: () => (/* binding */ Cancellation)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(584);
/* harmony import */ var node_events__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(474);
/* harmony import */ var node_events__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_events__WEBPACK_IMPORTED_MODULE_1__);


/*
 * The runner cancels a job with SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s after
 * that. Invariant: from the start of the run to its end, no signal kills the process before it
 * reported. The first SIGINT asks the run to stop: no change starts after it (requests in
 * flight, a secret regeneration among them, may finish, and a secret they return is sealed and
 * printed first). SIGTERM, or any second signal, is urgent: every request still open is
 * abandoned and the run reports at once, before the SIGKILL.
 */
/** The run was cancelled before this change could start; nothing of it happened. */
class CancelledError extends Error {
    signal;
    constructor(signal) {
        super(`Cancelled (${signal})`);
        this.signal = signal;
        this.name = 'CancelledError';
    }
}
/** How long the run may take, after the urgent signal, to finish reporting (SIGKILL comes at 2.5 s). */
const URGENT_REPORT_MS = 1_000;
/** The cancellation state of one run. */
class Cancellation {
    first;
    stop = new AbortController();
    abandon = new AbortController();
    constructor() {
        // Every request in flight listens: many at once is normal, not a leak.
        (0,node_events__WEBPACK_IMPORTED_MODULE_1__.setMaxListeners)(0, this.stop.signal, this.abandon.signal);
    }
    /** The signal that asked the run to stop, if one did. */
    get signal() {
        return this.first;
    }
    /** Aborts at the first signal: nothing new may change. */
    get requested() {
        return this.stop.signal;
    }
    /** Aborts at SIGTERM or the second signal: requests in flight are abandoned. */
    get urgent() {
        return this.abandon.signal;
    }
    /** Throws a {@link CancelledError} when a signal came: call before a change starts. */
    throwIfRequested() {
        if (this.first)
            throw new CancelledError(this.first);
    }
    /** Records a signal (what the process handlers call; tests call it directly). */
    receive(signal) {
        if (!this.first) {
            this.first = signal;
            this.stop.abort(new CancelledError(signal));
            if (signal !== 'SIGTERM') {
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Received ${signal}: no change starts from now on; the run reports what it did`);
                return;
            }
        }
        if (this.abandon.signal.aborted)
            return;
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Received ${signal}: abandoning every request still open, and reporting now`);
        this.abandon.abort(new CancelledError(this.first));
    }
    /** Handles SIGINT and SIGTERM of this process from now on: they no longer kill it. */
    listen() {
        const onSignal = (signal) => this.receive(signal);
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
    }
}


/***/ }),

/***/ 373:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   ml: () => (/* binding */ systemClock)
/* harmony export */ });
/* unused harmony exports timerDeadline, timerSleep */
/**
 * A deadline held by a plain timer. `AbortSignal.timeout` combined with `AbortSignal.any` can be
 * garbage-collected while a request still waits on it, and then never fires (nodejs/node#57736):
 * the timer here keeps its controller alive until it fires or is cleared.
 */
function timerDeadline(ms) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${ms / 1000} s`, 'TimeoutError')), ms);
    return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
/** A sleep held by a plain timer that the signal cuts short (see {@link Clock.sleep}). */
function timerSleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal.aborted)
            return reject(signal.reason);
        const stop = () => {
            clearTimeout(timer);
            reject(signal.reason);
        };
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', stop);
            resolve();
        }, ms);
        signal.addEventListener('abort', stop, { once: true });
    });
}
const systemClock = {
    now: () => Date.now(),
    sleep: timerSleep,
    random: () => Math.random(),
    deadline: timerDeadline
};


/***/ }),

/***/ 718:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   PS: () => (/* binding */ addMonths),
/* harmony export */   S5: () => (/* binding */ durationText),
/* harmony export */   V8: () => (/* binding */ relative),
/* harmony export */   _$: () => (/* binding */ isoDate),
/* harmony export */   sO: () => (/* binding */ DAY_MS)
/* harmony export */ });
/** Dates as the log, the outputs and the summary show them. */
const DAY_MS = 86_400_000;
/** ISO 8601 UTC of a time (ms since the epoch); empty when absent. */
function isoDate(ms) {
    return ms === undefined ? '' : new Date(ms).toISOString();
}
/** "850 ms", "4.2 s". */
function durationText(ms) {
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
/** "in 12 days", "41 days ago", "today". */
function relative(time, at) {
    const days = Math.floor(Math.abs(time - at) / DAY_MS);
    if (days === 0)
        return 'today';
    const span = `${days} day${days === 1 ? '' : 's'}`;
    return time > at ? `in ${span}` : `${span} ago`;
}
/** `months` calendar months after `ms` (UTC; the 31st becomes the month's last day). */
function addMonths(ms, months) {
    const date = new Date(ms);
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + months);
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, lastDay));
    return date.getTime();
}


/***/ }),

/***/ 712:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ holdersReport),
/* harmony export */   m: () => (/* binding */ isStored)
/* harmony export */ });
/** What happened at each destination of a new secret, and how it is told. */
const isStored = (write) => write.status === 'created' || write.status === 'updated';
/** Which destinations hold the new secret, which may, and which do not. */
function holdersReport(writes) {
    const labels = (keep) => writes.filter(keep).map((w) => w.label);
    const stored = labels(isStored);
    const unclear = labels((w) => w.status === 'unclear');
    const failed = labels((w) => w.status === 'failed');
    const skipped = labels((w) => w.status === 'skipped');
    return [
        `Destinations holding the new secret: ${stored.length ? stored.join(', ') : 'none'}.`,
        ...(unclear.length
            ? [
                `Not confirmed (no answer arrived; the write may have landed, and replaying it is safe): ${unclear.join(', ')}.`
            ]
            : []),
        ...(failed.length ? [`Not written: ${failed.join(', ')}.`] : []),
        ...(skipped.length ? [`Not sent (the run was cancelled first): ${skipped.join(', ')}.`] : [])
    ].join(' ');
}


/***/ }),

/***/ 819:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  ee: () => (/* binding */ ApiTransport),
  cv: () => (/* binding */ exchange),
  qF: () => (/* binding */ parseJson)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 9 modules
var core = __nccwpck_require__(584);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __nccwpck_require__(942);
;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __nccwpck_require__(474);
;// CONCATENATED MODULE: external "node:tls"
const external_node_tls_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");
// EXTERNAL MODULE: ./src/redaction.ts
var redaction = __nccwpck_require__(66);
// EXTERNAL MODULE: ./src/version.ts + 1 modules
var version = __nccwpck_require__(13);
// EXTERNAL MODULE: ./src/http/http-error.ts
var http_error = __nccwpck_require__(161);
// EXTERNAL MODULE: ./src/http/read-capped.ts
var read_capped = __nccwpck_require__(382);
// EXTERNAL MODULE: ./src/http/retry-decisions.ts
var retry_decisions = __nccwpck_require__(476);
// EXTERNAL MODULE: ./src/http/retry.ts
var retry = __nccwpck_require__(902);
;// CONCATENATED MODULE: ./src/http/api-transport.ts












/**
 * JSON over HTTP to a key platform, shared by every platform client: requests go through
 * `@actions/http-client`'s agent (HTTPS_PROXY / NO_PROXY), trust the extra CA, run under a
 * deadline for headers and body together, read capped bodies, and are retried with the one
 * retry loop. Server text in errors is redacted and made safe for the log.
 */
class ApiTransport {
    options;
    http = new lib/* HttpClient */.Qq(version/* USER_AGENT */._O, [], { keepAlive: true });
    controller = new AbortController();
    constructor(options) {
        this.options = options;
        // Every request in flight listens: many at once is normal, not a leak.
        (0,external_node_events_.setMaxListeners)(0, this.controller.signal);
        const { urgent } = options.cancellation;
        const abandon = () => this.controller.abort(urgent.reason);
        if (urgent.aborted)
            abandon();
        else
            urgent.addEventListener('abort', abandon, { once: true, signal: this.controller.signal });
    }
    /** Closes kept-alive connections and abandons requests still in flight, without retries. */
    dispose() {
        this.controller.abort(new Error('abandoned (the run is over)'));
        this.http.dispose();
    }
    /** One call, retried as `decide` says: the 2xx answer. */
    async call(method, path, options = {}) {
        const decide = options.decide ?? retry_decisions/* platformRetry */.YD;
        const { requested } = this.options.cancellation;
        return (0,retry/* withRetry */.bD)(() => this.send(method, path, options), {
            maxAttempts: this.options.request.maxAttempts,
            clock: this.options.clock,
            signal: requested,
            decide: (error) => this.controller.signal.aborted || requested.aborted ? { retry: false } : decide(error)
        });
    }
    /** One call whose answer must be JSON (or empty): the parsed body. */
    async callJson(method, path, options = {}) {
        const { status, text } = await this.call(method, path, options);
        const parsed = parseJson(text);
        if (text.trim() !== '' && parsed === undefined)
            throw this.malformed(method, path, status);
        return parsed;
    }
    /** An error for an answer whose body is not what the API documents. */
    malformed(method, path, status = 200, cause) {
        return new http_error/* HttpError */.j$(`${method} ${path} answered HTTP ${status} with a body that is not the expected JSON; ${this.options.malformedHint}`, { method, path, status, cause });
    }
    /** One HTTP exchange under a deadline: a 2xx answer, or an {@link HttpError}. */
    async send(method, path, options = {}) {
        const { clock, request } = this.options;
        const timeoutMs = options.timeoutMs ?? request.timeoutMs;
        if (this.controller.signal.aborted) {
            throw new http_error/* HttpError */.j$(`${method} ${path} was not sent: ${abandonedReason(this.controller.signal)}`, {
                method,
                path,
                code: http_error/* NOT_SENT_CANCELLED */.v$
            });
        }
        const started = clock.now();
        const deadline = clock.deadline(timeoutMs);
        // Abandoning the transport aborts this request too; the listener goes with the request.
        const controller = new AbortController();
        const abort = () => controller.abort(deadline.signal.reason ?? this.controller.signal.reason);
        deadline.signal.addEventListener('abort', abort);
        this.controller.signal.addEventListener('abort', abort);
        if (this.controller.signal.aborted)
            abort();
        let status;
        let headers = {};
        let text;
        try {
            const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
            const response = await exchange(this.http, new URL(`${this.options.baseUrl}${path}`), {
                method,
                headers: {
                    Accept: 'application/json',
                    'Content-Type': 'application/json',
                    ...this.options.headers,
                    ...options.headers
                },
                body: payload,
                signal: controller.signal,
                caCertificate: this.options.caCertificate
            });
            status = response.statusCode ?? 0;
            headers = response.headers;
            text = await (0,read_capped/* readCapped */.EF)(response, controller.signal, options.maxBytes ?? read_capped/* MAX_BODY_BYTES */.YK);
        }
        catch (error) {
            throw this.transportError(method, path, status, error, timeoutMs);
        }
        finally {
            deadline.clear();
            deadline.signal.removeEventListener('abort', abort);
            this.controller.signal.removeEventListener('abort', abort);
        }
        core/* debug */.Yz(`${method} ${path} -> ${status} (${clock.now() - started} ms)`);
        if (status >= 200 && status < 300)
            return { status, headers, text };
        const message = this.options.messageOf(parseJson(text));
        const serverMessage = typeof message === 'string' ? (0,redaction/* untrusted */.bp)(message) : undefined;
        const said = serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : '';
        throw new http_error/* HttpError */.j$(this.options.describeFailure(method, path, status, said), {
            method,
            path,
            status,
            serverMessage,
            retryAfterMs: (0,retry/* parseRetryAfter */.mu)(headers['retry-after'], clock.now)
        });
    }
    transportError(method, path, status, error, timeoutMs) {
        const name = error?.name;
        let code = error?.code;
        let reason;
        if (this.controller.signal.aborted) {
            code = 'ECANCELED';
            reason = abandonedReason(this.controller.signal);
        }
        else if (name === 'AbortError' || name === 'TimeoutError' || code === 'ABORT_ERR') {
            code = 'ETIMEDOUT';
            reason = `no complete answer within ${timeoutMs / 1000} s`;
        }
        else if (code === 'EBODYTOOLARGE') {
            reason = (0,redaction/* errorText */.kc)(error);
        }
        else if (code === 'EPROTO') {
            // OpenSSL's own text ("ssl3_get_record:wrong version number") helps nobody here.
            reason = 'the TLS handshake failed';
        }
        else {
            code ??= status === undefined ? undefined : 'ETRUNCATED';
            reason = (0,redaction/* untrusted */.bp)((0,redaction/* errorText */.kc)(error));
        }
        const hint = networkHint(code);
        const answered = status === undefined ? 'failed' : `answered HTTP ${status}, then failed`;
        const partial = error?.partial;
        return new http_error/* HttpError */.j$(`${method} ${path} ${answered}: ${reason}${hint}`, {
            method,
            path,
            status,
            code,
            cause: error,
            ...(typeof partial === 'string' &&
                status !== undefined &&
                status < 300 && { partialBody: partial })
        });
    }
}
/**
 * Sends one request and resolves with the answer's head (its body still to be read, e.g. with
 * `readCapped`). The connection goes through `@actions/http-client`'s agent for the URL: through
 * HTTPS_PROXY / HTTP_PROXY unless NO_PROXY or a loopback host says otherwise. A proxy tunnel
 * builds its TLS from the agent's own options, so the extra CA goes there too.
 */
function exchange(client, url, options) {
    const { body, caCertificate } = options;
    const headers = {
        'User-Agent': version/* USER_AGENT */._O,
        ...options.headers,
        ...(body !== undefined && { 'Content-Length': Buffer.byteLength(body) })
    };
    const ca = caCertificate ? [...external_node_tls_namespaceObject.rootCertificates, caCertificate] : undefined;
    const agent = client.getAgent(url.href);
    if (ca && agent.proxyOptions && agent.options)
        agent.options.ca = ca;
    const transport = url.protocol === 'https:' ? external_node_https_namespaceObject : external_node_http_namespaceObject;
    return new Promise((resolve, reject) => {
        const request = transport.request(url, { method: options.method, headers, agent, signal: options.signal, ...(ca && { ca }) }, resolve);
        request.on('error', reject);
        request.end(body);
    });
}
/** What to check after a failure before any answer: an address, a name, a certificate. */
function networkHint(code) {
    if (code === 'EPROTO')
        return ': the server did not answer in TLS; is api-url a plain http:// server, or the port wrong?';
    if (code && http_error/* TLS_CODE */._b.test(code))
        return ': the server certificate is not trusted; for a private CA or a self-signed manager certificate set ca-certificate';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return ": the host name does not resolve; check api-url (or region), the runner's DNS and network, and HTTPS_PROXY / NO_PROXY";
    if (code === 'ECONNREFUSED')
        return ': nothing listens at that address and port; check api-url';
    return '';
}
/** Why the transport abandoned its requests: the run was cancelled, or it is over. */
function abandonedReason(signal) {
    const reason = signal.reason;
    return typeof reason?.signal === 'string'
        ? `abandoned: the run was cancelled (${reason.signal})`
        : 'abandoned (the run is over)';
}
/** The parsed JSON of a text; undefined when it is empty or not JSON. */
function parseJson(text) {
    if (text.trim() === '')
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 161:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   _b: () => (/* binding */ TLS_CODE),
/* harmony export */   j$: () => (/* binding */ HttpError),
/* harmony export */   v$: () => (/* binding */ NOT_SENT_CANCELLED)
/* harmony export */ });
/** The run was cancelled before this request could be sent. */
const NOT_SENT_CANCELLED = 'ENOTSENT_CANCELLED';
/** Network failures that happen before a single byte of the request left this machine. */
const NOT_SENT_CODES = new Set([
    NOT_SENT_CANCELLED,
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH'
]);
/**
 * TLS failures: retrying cannot help, the certificate must be trusted first (or, EPROTO, the
 * server does not speak TLS at all).
 */
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|EPROTO/;
/**
 * A failed call to any API this action talks to: what was asked, what came back, and whether
 * the server may have acted. The message says what to do and is safe for the log.
 */
class HttpError extends Error {
    method;
    path;
    status;
    serverMessage;
    code;
    retryAfterMs;
    rateLimited;
    partialBody;
    constructor(message, options) {
        super(message, { cause: options.cause });
        this.name = 'HttpError';
        this.method = options.method;
        this.path = options.path;
        this.status = options.status;
        this.serverMessage = options.serverMessage;
        this.code = options.code;
        this.retryAfterMs = options.retryAfterMs;
        this.rateLimited = options.rateLimited ?? options.status === 429;
        this.partialBody = options.partialBody;
    }
    /** True when the request certainly never reached the server. */
    get notSent() {
        return (this.status === undefined &&
            this.code !== undefined &&
            (NOT_SENT_CODES.has(this.code) || TLS_CODE.test(this.code)));
    }
    /** True when the credentials were refused (or lack the right for the call). */
    get rejected() {
        return (this.status === 401 || this.status === 403) && !this.rateLimited;
    }
    /**
     * True when the outcome is unclear: the server may have acted without this run learning it
     * (no complete answer, a 5xx, or a 2xx that does not prove the change).
     */
    get unclear() {
        if (this.notSent || this.rateLimited)
            return false;
        return (this.status === undefined ||
            this.status >= 500 ||
            this.code !== undefined ||
            (this.status >= 200 && this.status < 300));
    }
}


/***/ }),

/***/ 382:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Cb: () => (/* binding */ MAX_LIST_BYTES),
/* harmony export */   EF: () => (/* binding */ readCapped),
/* harmony export */   YK: () => (/* binding */ MAX_BODY_BYTES)
/* harmony export */ });
/** The largest answer body read; anything longer is an error, never a slow quadratic read. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * The cap of the answers that list every key or role at once: 5,000 keys with every field take
 * about 1.3 MB, and an audit must read them in one call.
 */
const MAX_LIST_BYTES = 32 * 1024 * 1024;
/**
 * Reads a response body to its end, as UTF-8. Fails when the body exceeds `maxBytes`
 * (code `EBODYTOOLARGE`), when the connection closes before the body is complete (code
 * `ETRUNCATED`, with what did arrive as `partial`), or when `signal` aborts (the request's
 * deadline): never waits forever.
 */
function readCapped(response, signal, maxBytes = MAX_BODY_BYTES) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        const fail = (error) => {
            cleanup();
            response.destroy();
            reject(error);
        };
        // The reason may come from another realm (a DOMException): judge it by its name.
        const onAbort = () => {
            const reason = signal.reason;
            fail(Object.assign(new Error(String(reason?.message ?? 'aborted')), {
                name: typeof reason?.name === 'string' ? reason.name : 'AbortError'
            }));
        };
        const onData = (chunk) => {
            size += chunk.length;
            if (size > maxBytes) {
                const mib = maxBytes / (1024 * 1024);
                fail(Object.assign(new Error(`the answer was larger than ${mib} MiB`), {
                    code: 'EBODYTOOLARGE'
                }));
                return;
            }
            chunks.push(chunk);
        };
        const onEnd = () => {
            cleanup();
            resolve(Buffer.concat(chunks).toString('utf8'));
        };
        const onClose = () => {
            if (!response.complete)
                fail(Object.assign(new Error('the answer was cut off mid-body'), {
                    code: 'ETRUNCATED',
                    partial: Buffer.concat(chunks).toString('utf8')
                }));
        };
        // A connection reset mid-body ("aborted"): what arrived is kept, as for a clean close.
        const onError = (error) => fail(Object.assign(error, { partial: Buffer.concat(chunks).toString('utf8') }));
        const cleanup = () => {
            signal.removeEventListener('abort', onAbort);
            response.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError);
        };
        if (signal.aborted)
            return onAbort();
        signal.addEventListener('abort', onAbort);
        response.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onError);
    });
}


/***/ }),

/***/ 476:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   K0: () => (/* binding */ ISSUING_TIMEOUT_MS),
/* harmony export */   YD: () => (/* binding */ platformRetry),
/* harmony export */   kz: () => (/* binding */ githubRetry),
/* harmony export */   lL: () => (/* binding */ issuingRetry)
/* harmony export */ });
/* harmony import */ var _http_error_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(161);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(902);


/*
 * Whether a failed attempt is tried again, decided apart from the loop that retries
 * (`withRetry`). Each kind of call passes the decision that fits it.
 */
/**
 * A call to a key platform: 429, 502, 503, 504 and connection failures are retried; TLS
 * failures, a host name that does not exist and every other answer are final.
 */
function platformRetry(error) {
    if (!(error instanceof _http_error_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$))
        return { retry: false };
    if (error.status === undefined)
        return {
            retry: error.code === undefined || !(_http_error_js__WEBPACK_IMPORTED_MODULE_0__/* .TLS_CODE */ ._b.test(error.code) || error.code === 'ENOTFOUND')
        };
    if ([429, 502, 503, 504].includes(error.status) && error.code === undefined)
        return waitable(error.retryAfterMs);
    return { retry: false };
}
/** A retry after the wait the server asked for; none when it asks for more than a run waits. */
function waitable(afterMs) {
    return afterMs !== undefined && afterMs > _retry_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_SERVER_WAIT_MS */ .Ge
        ? { retry: false }
        : { retry: true, afterMs };
}
/** The least time a call that issues a secret is waited for: a slow platform still acts. */
const ISSUING_TIMEOUT_MS = 120_000;
/**
 * A call that issues a secret (regeneration, creation): retried only where the server
 * certainly did not act, a 429 or a connection that never opened. A retry after a lost answer
 * would issue a second secret and kill the first.
 */
function issuingRetry(error) {
    if (!(error instanceof _http_error_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$))
        return { retry: false };
    if (error.status === 429 && error.code === undefined)
        return waitable(error.retryAfterMs);
    return { retry: error.notSent && !_http_error_js__WEBPACK_IMPORTED_MODULE_0__/* .TLS_CODE */ ._b.test(error.code ?? '') };
}
/**
 * A GitHub call (secret writes are idempotent): rate limits wait as GitHub asks (at least a
 * minute when it names no time), 5xx and connection failures are retried, other answers are
 * final.
 */
function githubRetry(error) {
    if (!(error instanceof _http_error_js__WEBPACK_IMPORTED_MODULE_0__/* .HttpError */ .j$))
        return { retry: false };
    if (error.rateLimited) {
        return error.retryAfterMs !== undefined
            ? waitable(error.retryAfterMs)
            : { retry: true, minDelayMs: 60_000 };
    }
    return { retry: error.status === undefined || error.status >= 500 };
}


/***/ }),

/***/ 902:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ge: () => (/* binding */ MAX_SERVER_WAIT_MS),
/* harmony export */   bD: () => (/* binding */ withRetry),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter)
/* harmony export */ });
/* unused harmony export backoffDelay */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(584);
/* harmony import */ var _redaction_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(66);


/**
 * The longest wait a server may ask for (Retry-After, x-ratelimit-reset) that a run honours:
 * a longer one is not retried at all (see retry-decisions.ts).
 */
const MAX_SERVER_WAIT_MS = 15 * 60_000;
/**
 * Delay before attempt `attempt + 1`: full-jitter exponential backoff, or the server's
 * requested wait when it named one (capped so a broken header cannot park a rotation).
 */
function backoffDelay(attempt, decision, policy) {
    if (decision.afterMs !== undefined)
        return Math.min(decision.afterMs, MAX_SERVER_WAIT_MS);
    const base = policy.baseDelayMs ?? 500;
    const cap = policy.maxDelayMs ?? 30_000;
    const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
    const jittered = Math.round(policy.clock.random() * ceiling);
    return Math.max(jittered, decision.minDelayMs ?? 0);
}
/**
 * The one retry loop of the action: runs `attempt` until it succeeds, the policy's decision
 * says the failure is final, the attempts are spent or the signal aborted; the last error is
 * rethrown unchanged. A wait that the signal cuts short rethrows it too: the last attempt's
 * outcome (refused, or unclear) is all the run knows, and no further attempt was sent.
 * Every retry is logged (error messages here are already safe for the log).
 */
async function withRetry(attempt, policy) {
    for (let n = 1;; n++) {
        try {
            return await attempt(n);
        }
        catch (error) {
            const decision = policy.decide(error);
            if (!decision.retry || n >= policy.maxAttempts || policy.signal.aborted)
                throw error;
            const delayMs = backoffDelay(n, decision, policy);
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${(0,_redaction_js__WEBPACK_IMPORTED_MODULE_1__/* .errorText */ .kc)(error)}; retrying in ${delayMs} ms (attempt ${n + 1} of ${policy.maxAttempts})`);
            try {
                await policy.clock.sleep(delayMs, policy.signal);
            }
            catch {
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Stopped waiting to retry: the run was cancelled; attempt ${n + 1} not sent`);
                throw error;
            }
        }
    }
}
/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
function parseRetryAfter(value, now) {
    const text = Array.isArray(value) ? value[0] : value;
    if (text === undefined || text.trim() === '')
        return undefined;
    if (/^\d+$/.test(text.trim()))
        return Number(text.trim()) * 1000;
    const date = Date.parse(text);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}


/***/ }),

/***/ 407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _cancellation_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(632);
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(373);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(673);



// From the first line to the last, SIGINT and SIGTERM never kill the process: they cancel the
// run, which then reports (see cancellation.ts).
const cancellation = new _cancellation_js__WEBPACK_IMPORTED_MODULE_0__/* .Cancellation */ .mT();
cancellation.listen();
await (0,_main_js__WEBPACK_IMPORTED_MODULE_2__/* .run */ .e)(_clock_js__WEBPACK_IMPORTED_MODULE_1__/* .systemClock */ .ml, cancellation);
// A cancelled run has reported; requests it abandoned must not keep the process alive. Its exit
// code is the report's (a run that finished before the signal counts as done), once the log
// has reached the runner.
if (cancellation.signal)
    process.stdout.write('', () => process.exit(process.exitCode ?? 0));

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 673:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 9 modules
var core = __nccwpck_require__(584);
// EXTERNAL MODULE: ./src/cancellation.ts
var src_cancellation = __nccwpck_require__(632);
// EXTERNAL MODULE: ./src/clock.ts
var src_clock = __nccwpck_require__(373);
// EXTERNAL MODULE: ./src/redaction.ts
var redaction = __nccwpck_require__(66);
// EXTERNAL MODULE: ./src/settings.ts
var src_settings = __nccwpck_require__(750);
;// CONCATENATED MODULE: ./src/inputs.ts



/** Cloud One regions (workload-security): `https://workload.<region>.cloudone.trendmicro.com/api`. */
const CLOUD_ONE_REGIONS = [
    'us-1',
    'in-1',
    'gb-1',
    'au-1',
    'jp-1',
    'de-1',
    'ca-1',
    'sg-1',
    'trend-us-1'
];
/** Vision One regions and their API origins (Trend's "Regional domains"). */
const VISION_ONE_HOSTS = {
    us: 'api.xdr.trendmicro.com',
    eu: 'api.eu.xdr.trendmicro.com',
    jp: 'api.xdr.trendmicro.co.jp',
    sg: 'api.sg.xdr.trendmicro.com',
    au: 'api.au.xdr.trendmicro.com',
    in: 'api.in.xdr.trendmicro.com',
    uk: 'api.uk.xdr.trendmicro.com',
    mea: 'api.mea.xdr.trendmicro.com',
    usgov: 'api.usgov.xdr.trendmicro.com'
};
/** What each platform does by default where `action.yml` leaves the input empty. */
const PLATFORM_DEFAULTS = {
    'workload-security': { region: 'us-1', strategy: 'regenerate' },
    'vision-one': { region: 'us', strategy: 'replace' },
    'cloud-one': { region: '', strategy: 'replace' }
};
/** cloud-one: one host for every region (the Cloud One accounts API). */
const CLOUD_ONE_ACCOUNTS_URL = 'https://accounts.cloudone.trendmicro.com/api';
/** Inputs that have no meaning on a platform: ignored with a warning when set. */
const NOT_ON_PLATFORM = {
    'workload-security': [],
    'vision-one': ['auth-scheme', 'api-version', 'expiry-days'],
    'cloud-one': ['region', 'auth-scheme', 'api-version']
};
/** The role Vision One no longer gives to a key (since 2025-10-27). */
const MASTER_ADMINISTRATOR = 'Master Administrator';
/**
 * Every input with the default `action.yml` declares for it (a test keeps the two equal).
 * The runner fills a declared default in when the user leaves an input out, so a value equal
 * to its default counts as "not set" for the warning about inputs an operation ignores.
 */
const INPUT_DEFAULTS = {
    operation: '',
    platform: 'workload-security',
    'api-secret-key': '',
    'api-url': '',
    region: '',
    'auth-scheme': 'api-secret-key',
    'api-version': 'v1',
    'ca-certificate': '',
    'key-id': '',
    'key-name': '',
    'role-id': '',
    'role-name': '',
    description: '',
    'allow-self': 'false',
    strategy: '',
    'expiry-months': '3',
    'expiry-days': '',
    'secret-name': '',
    'secret-type': 'actions',
    repositories: '',
    environment: '',
    organization: '',
    visibility: '',
    'github-token': '',
    'warn-days': '30',
    'stale-days': '90',
    flag: 'expired,stale,never-used',
    'fail-if-flagged': 'false',
    'dry-run': 'false',
    verify: 'true',
    'max-attempts': '5',
    'timeout-seconds': '30',
    'writes-per-minute': '80',
    'writes-per-hour': '500'
};
const COMMON_INPUTS = [
    'operation',
    'platform',
    'api-secret-key',
    'api-url',
    'region',
    'auth-scheme',
    'api-version',
    'ca-certificate',
    'dry-run',
    'max-attempts',
    'timeout-seconds'
];
const STORE_INPUTS = [
    'secret-name',
    'secret-type',
    'repositories',
    'environment',
    'organization',
    'visibility',
    'github-token',
    'verify',
    'expiry-days',
    'expiry-months',
    'writes-per-minute',
    'writes-per-hour'
];
const OPERATION_INPUTS = {
    rotate: ['key-id', 'key-name', 'strategy', ...STORE_INPUTS],
    create: ['key-name', 'role-id', 'role-name', 'description', ...STORE_INPUTS],
    'set-role': ['key-id', 'key-name', 'role-id', 'role-name', 'allow-self'],
    lock: ['key-id', 'key-name', 'allow-self'],
    unlock: ['key-id', 'key-name'],
    delete: ['key-id', 'key-name', 'allow-self'],
    describe: ['key-id', 'key-name'],
    audit: ['warn-days', 'stale-days', 'flag', 'fail-if-flagged']
};
/** Every bad input of a run, reported together. */
class InputError extends Error {
    problems;
    constructor(problems) {
        super(problems.length === 1
            ? `Invalid input: ${problems[0]}`
            : `Invalid inputs:\n${problems.map((p) => `- ${p}`).join('\n')}`);
        this.problems = problems;
        this.name = 'InputError';
    }
}
const readActionInput = (name) => core/* getInput */.V4(name);
const INT32_MAX = 2_147_483_647;
/** A Vision One key ID: Trend's are UUIDs, at most 36 characters. */
const VISION_ONE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,35}$/;
/** A Cloud One account key ID: Trend's are 27 letters and digits. */
const CLOUD_ONE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** A Cloud One role's short ID (`full-access`). */
const CLOUD_ONE_ROLE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const REPOSITORY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;
const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Reads and validates every input before anything is sent. Secret inputs are masked before
 * anything else happens, so that no later message can print them. Inputs that do not apply to
 * the operation are ignored with a warning; conflicting or missing ones fail, all together.
 */
function readSettings(readInput = readActionInput, env = process.env) {
    const apiSecretKey = readInput('api-secret-key');
    const githubToken = readInput('github-token');
    (0,redaction/* protectSecret */.ol)(apiSecretKey);
    (0,redaction/* protectSecret */.ol)(githubToken);
    const rawOperation = readInput('operation').toLowerCase();
    if (!src_settings/* OPERATIONS */.xb.includes(rawOperation)) {
        throw new InputError([
            rawOperation
                ? `operation "${readInput('operation')}" is not one of ${src_settings/* OPERATIONS */.xb.join(', ')}`
                : `operation is required: one of ${src_settings/* OPERATIONS */.xb.join(', ')}`
        ]);
    }
    const operation = rawOperation;
    const rawPlatform = readInput('platform') || INPUT_DEFAULTS.platform;
    if (!src_settings/* PLATFORMS */.P4.includes(rawPlatform.toLowerCase())) {
        throw new InputError([`platform "${rawPlatform}" is not one of ${src_settings/* PLATFORMS */.P4.join(', ')}`]);
    }
    const platform = rawPlatform.toLowerCase();
    // Inputs that do not apply are read as empty from here on, so no rule below trips on them.
    const isSet = (name) => {
        const value = readInput(name);
        return value !== '' && value !== INPUT_DEFAULTS[name];
    };
    const operationInputs = new Set([...COMMON_INPUTS, ...OPERATION_INPUTS[operation]]);
    warnIgnored(Object.keys(INPUT_DEFAULTS).filter((name) => !operationInputs.has(name) && isSet(name)), `operation ${operation}`);
    warnIgnored(NOT_ON_PLATFORM[platform].filter((name) => operationInputs.has(name) && isSet(name)), `platform ${platform}`);
    const applicable = new Set([...operationInputs].filter((name) => !NOT_ON_PLATFORM[platform].includes(name)));
    const raw = (name) => (applicable.has(name) ? readInput(name) : '');
    const reader = {
        raw,
        value: (name) => raw(name) || INPUT_DEFAULTS[name],
        problems: [],
        env,
        platform
    };
    if (!apiSecretKey)
        reader.problems.push('api-secret-key is required');
    else if (platform === 'cloud-one') {
        // A Cloud One key is used as <id>:<secret>; the ID is how the key that authenticates is known.
        const colon = apiSecretKey.indexOf(':');
        // The runner masks whole values only: the secret part alone is masked too.
        if (colon >= 0)
            (0,redaction/* protectSecret */.ol)(apiSecretKey.slice(colon + 1));
        if (colon < 0 ||
            !CLOUD_ONE_ID_PATTERN.test(apiSecretKey.slice(0, colon)) ||
            colon === apiSecretKey.length - 1)
            reader.problems.push("api-secret-key must be a Cloud One API key as the console shows it, <id>:<secret> (the key's ID, a colon, then its secret); its value is not shown");
    }
    if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
        reader.problems.push('NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the job environment: it would turn TLS verification off, which this action never does.' +
            ' Remove it, and trust a private CA with ca-certificate instead');
    }
    const connection = parseConnection(reader, apiSecretKey);
    const request = parseRequest(reader);
    const dryRun = parseBoolean('dry-run', reader.value('dry-run'), reader.problems);
    const common = { platform, connection, request, dryRun };
    const settings = BUILDERS[operation](reader, common, githubToken);
    if (reader.problems.length > 0)
        throw new InputError(reader.problems);
    return settings;
}
function warnIgnored(names, where) {
    if (names.length === 0)
        return;
    const one = names.length === 1;
    core/* warning */.$e(`${names.join(', ')} ${one ? 'does' : 'do'} not apply to ${where} and ${one ? 'is' : 'are'} ignored`);
}
/** One builder per operation, so that the compiler checks each variant. */
const BUILDERS = {
    describe: (r, common) => ({
        ...common,
        operation: 'describe',
        selector: parseKeySelector(r, 'describe')
    }),
    unlock: (r, common) => ({
        ...common,
        operation: 'unlock',
        selector: parseKeySelector(r, 'unlock')
    }),
    lock: (r, common) => ({
        ...common,
        operation: 'lock',
        selector: parseKeySelector(r, 'lock'),
        allowSelf: parseBoolean('allow-self', r.value('allow-self'), r.problems)
    }),
    delete: (r, common) => ({
        ...common,
        operation: 'delete',
        selector: parseKeySelector(r, 'delete'),
        allowSelf: parseBoolean('allow-self', r.value('allow-self'), r.problems)
    }),
    'set-role': (r, common) => ({
        ...common,
        operation: 'set-role',
        selector: parseKeySelector(r, 'set-role'),
        role: parseRoleSelector(r, 'set-role'),
        allowSelf: parseBoolean('allow-self', r.value('allow-self'), r.problems)
    }),
    rotate: (r, common, githubToken) => {
        const strategy = parseStrategy(r);
        const expiryDays = parseExpiryDays(r);
        const base = {
            ...common,
            operation: 'rotate',
            store: parseStore(r, 'rotate', githubToken),
            expiryMonths: parseExpiryMonths(r)
        };
        if (r.platform !== 'workload-security' && strategy !== 'regenerate') {
            if (r.raw('key-id')) {
                r.problems.push(`key-id does not apply to rotate on platform ${r.platform}: the key that takes over gets a new ID, so name the key${strategy === 'alternate' ? 's' : ''} with key-name`);
            }
            // cloud-one: no expiry at all.
            const expiryMonths = r.platform === 'vision-one' ? (base.expiryMonths ?? 3) : undefined;
            if (strategy === 'replace') {
                if (!r.raw('key-name') && !r.raw('key-id'))
                    r.problems.push(`rotate on platform ${r.platform} needs key-name: the key's exact name (a replaced key gets a new ID, so the next run finds it by name)`);
                return { ...base, strategy, expiryMonths, keyName: r.raw('key-name') };
            }
            return { ...base, strategy, expiryMonths, pair: parsePair(r) };
        }
        if (strategy !== 'alternate') {
            return {
                ...base,
                strategy: 'regenerate',
                expiryDays,
                selector: parseKeySelector(r, 'rotate')
            };
        }
        if (expiryDays === undefined) {
            r.problems.push("strategy alternate needs expiry-days (1 to 3650): each rotation pushes the idle key's expiry out, and a key whose rotation stopped expires by itself");
        }
        return { ...base, strategy, expiryDays: expiryDays ?? 0, pair: parsePair(r) };
    },
    create: (r, common, githubToken) => {
        const keyName = r.raw('key-name');
        if (!keyName)
            r.problems.push("operation create needs key-name: the new key's name (no key may have it yet)");
        if (r.raw('key-id'))
            r.problems.push('key-id does not apply to operation create (the manager assigns the ID)');
        return {
            ...common,
            operation: 'create',
            keyName,
            description: r.raw('description'),
            role: parseRoleSelector(r, 'create'),
            expiryDays: parseExpiryDays(r),
            expiryMonths: parseExpiryMonths(r),
            store: parseStore(r, 'create', githubToken)
        };
    },
    audit: (r, common) => ({
        ...common,
        operation: 'audit',
        warnDays: integerInRange('warn-days', r.value('warn-days'), 0, 3650, r.problems),
        staleDays: integerInRange('stale-days', r.value('stale-days'), 1, 3650, r.problems),
        flag: parseFlag(r),
        failIfFlagged: parseBoolean('fail-if-flagged', r.value('fail-if-flagged'), r.problems)
    })
};
function parseConnection(r, apiSecretKey) {
    const connection = {
        apiUrl: r.platform === 'vision-one'
            ? parseVisionOneUrl(r)
            : r.platform === 'cloud-one'
                ? parseCloudOneUrl(r)
                : parseApiUrl(r),
        apiSecretKey,
        authScheme: oneOf('auth-scheme', r.value('auth-scheme'), src_settings/* AUTH_SCHEMES */.kp, r.problems),
        apiVersion: r.value('api-version'),
        caCertificate: parseCaCertificate(r.raw('ca-certificate'), r.problems)
    };
    if (!/^[A-Za-z0-9._-]+$/.test(connection.apiVersion)) {
        r.problems.push(`api-version "${connection.apiVersion}" is not a version such as v1`);
    }
    return connection;
}
function parseRequest(r) {
    return {
        maxAttempts: integerInRange('max-attempts', r.value('max-attempts'), 1, 10, r.problems),
        timeoutMs: integerInRange('timeout-seconds', r.value('timeout-seconds'), 1, 300, r.problems) * 1000
    };
}
function parseApiUrl(r) {
    const apiUrl = r.raw('api-url');
    const region = parseRegion(r, CLOUD_ONE_REGIONS);
    if (!apiUrl)
        return `https://workload.${region}.cloudone.trendmicro.com/api`;
    return parseServiceUrl('api-url', apiUrl, r.problems);
}
/** cloud-one: the accounts API, one host for every region; api-url overrides it. */
function parseCloudOneUrl(r) {
    const apiUrl = r.raw('api-url');
    return apiUrl ? parseServiceUrl('api-url', apiUrl, r.problems) : CLOUD_ONE_ACCOUNTS_URL;
}
/** vision-one: the regional origin; api-url may end in /v3.0, which is dropped. */
function parseVisionOneUrl(r) {
    const apiUrl = r.raw('api-url');
    const region = parseRegion(r, Object.keys(VISION_ONE_HOSTS));
    if (!apiUrl)
        return `https://${VISION_ONE_HOSTS[region]}`;
    const url = parseServiceUrl('api-url', apiUrl, r.problems);
    const origin = url.replace(/\/v3\.0$/i, '');
    if (url && !/^[a-z]+:\/\/[^/]+$/i.test(origin)) {
        r.problems.push(`api-url "${url}" must be a Vision One API origin such as https://api.eu.xdr.trendmicro.com (a trailing /v3.0 is accepted) on platform vision-one`);
    }
    return origin;
}
/** The region input, or the platform's default; api-url wins over it. */
function parseRegion(r, regions) {
    const region = r.raw('region').toLowerCase();
    const fallback = PLATFORM_DEFAULTS[r.platform].region;
    if (region && !regions.includes(region)) {
        r.problems.push(`region "${r.raw('region')}" is not one of ${regions.join(', ')} on platform ${r.platform} (or set api-url)`);
        return fallback;
    }
    if (region && r.raw('api-url'))
        core/* info */.pq(`api-url is set, so region "${region}" is not used`);
    return region || fallback;
}
/** Validates a service base URL: https, or http on a loopback host only. */
function parseServiceUrl(name, value, problems) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        // Everything up to the last @ may be user-info (a password may hold @ itself): never shown.
        const shown = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/i, (_m, scheme) => `${scheme ?? ''}***@`);
        problems.push(`${name} "${shown}" is not a URL such as https://dsm.example.com:4119/api`);
        return '';
    }
    const hasCredentials = url.username !== '' || url.password !== '';
    // Credentials in a URL are secrets: never repeat them in a message.
    const shown = hasCredentials ? `${url.protocol}//***@${url.host}${url.pathname}` : url.href;
    const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        problems.push(`${name} "${shown}" must use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1])`);
    }
    if (hasCredentials || url.search || url.hash) {
        problems.push(`${name} must not contain credentials, a query or a fragment`);
    }
    return url.href.replace(/\/+$/, '');
}
function parseCaCertificate(value, problems) {
    if (!value)
        return undefined;
    if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(value)) {
        problems.push('ca-certificate must hold one or more PEM certificates (-----BEGIN CERTIFICATE----- ...)');
    }
    return value;
}
function parseKeySelector(r, operation) {
    const keyId = r.raw('key-id');
    const keyName = r.raw('key-name');
    if (keyId && keyName) {
        r.problems.push('set only one of key-id and key-name');
        return { by: 'authenticating' };
    }
    if (keyName)
        return { by: 'name', name: keyName };
    if (!keyId) {
        if (operation === 'rotate')
            return { by: 'authenticating' };
        r.problems.push(r.platform === 'vision-one'
            ? `operation ${operation} needs key-id (the key's ID, a UUID) or key-name (the key's exact name)`
            : r.platform === 'cloud-one'
                ? `operation ${operation} needs key-id (the key's ID, or "current") or key-name (the key's exact alias)`
                : `operation ${operation} needs key-id (a numeric key ID or "current") or key-name (the key's exact name)`);
        return { by: 'authenticating' };
    }
    return parseKeyId(keyId, r);
}
function parseKeyId(keyId, { problems, platform }) {
    if (platform === 'vision-one') {
        if (keyId.toLowerCase() === 'current') {
            problems.push('key-id "current" does not apply on platform vision-one: its API does not say which key authenticates; name the key with key-id or key-name');
        }
        else if (!VISION_ONE_ID_PATTERN.test(keyId)) {
            problems.push(`key-id "${keyId}" must be a Vision One API key ID (a UUID such as d367abdd-7739-4129-a36a-862c4ec018b4)`);
        }
        else {
            return { by: 'id', id: keyId };
        }
        return { by: 'authenticating' };
    }
    if (keyId.toLowerCase() === 'current')
        return { by: 'authenticating' };
    if (platform === 'cloud-one') {
        if (CLOUD_ONE_ID_PATTERN.test(keyId))
            return { by: 'id', id: keyId };
        problems.push(`key-id "${keyId}" must be a Cloud One API key ID (27 letters and digits, such as 1q7OVkm2HNIkTWNsFxxUcjIlQnP) or "current"`);
        return { by: 'authenticating' };
    }
    const id = parseId(keyId);
    if (id === undefined) {
        problems.push(`key-id "${keyId}" must be a numeric key ID (1 to ${INT32_MAX}) or "current"`);
        return { by: 'authenticating' };
    }
    return { by: 'id', id };
}
/** `strategy: alternate`: two keys, by ID or by name, comma or newline separated. */
function parsePair(r) {
    const keyId = r.raw('key-id');
    const keyName = r.raw('key-name');
    const fallback = [{ by: 'authenticating' }, { by: 'authenticating' }];
    if (keyId && keyName) {
        r.problems.push('set only one of key-id and key-name');
        return fallback;
    }
    const entries = (keyId || keyName)
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean);
    if (entries.length !== 2) {
        r.problems.push('strategy alternate needs two keys: key-id with two IDs or key-name with two names, separated by a comma or a newline (e.g. "deployer-a, deployer-b")');
        return fallback;
    }
    if (keyName)
        return [
            { by: 'name', name: entries[0] },
            { by: 'name', name: entries[1] }
        ];
    const pair = entries.map((e) => parseKeyId(e, r));
    if (pair.some((s) => s.by === 'authenticating')) {
        r.problems.push('strategy alternate needs two numeric key IDs ("current" cannot be one: the idle key must not be the key that authenticates)');
    }
    return pair;
}
function parseRoleSelector(r, operation) {
    const roleId = r.raw('role-id');
    const roleName = r.raw('role-name');
    if (roleId && roleName)
        r.problems.push('set only one of role-id and role-name');
    if (r.platform === 'vision-one') {
        if (roleId)
            r.problems.push('role-id does not apply on platform vision-one: its roles have names only; use role-name');
        else if (!roleName)
            r.problems.push(`operation ${operation} needs role-name`);
        if (roleName.trim().toLowerCase() === MASTER_ADMINISTRATOR.toLowerCase()) {
            r.problems.push(`role-name "${roleName}": Vision One no longer gives ${MASTER_ADMINISTRATOR} to an API key (since 2025-10-27); choose a role with only the rights the key needs`);
        }
        return { by: 'name', name: roleName };
    }
    if (roleName)
        return { by: 'name', name: roleName };
    if (r.platform === 'cloud-one') {
        if (!roleId)
            r.problems.push(`operation ${operation} needs role-id (e.g. full-access) or role-name`);
        else if (!CLOUD_ONE_ROLE_PATTERN.test(roleId))
            r.problems.push(`role-id "${roleId}" must be a Cloud One role's short ID (lower-case letters, digits and -, such as full-access)`);
        return { by: 'id', id: roleId };
    }
    if (!roleId) {
        r.problems.push(`operation ${operation} needs role-id (a numeric role ID) or role-name`);
        return { by: 'id', id: '' };
    }
    const id = parseId(roleId);
    if (id === undefined)
        r.problems.push(`role-id "${roleId}" must be a numeric role ID (1 to ${INT32_MAX})`);
    return { by: 'id', id: id ?? '' };
}
/** `strategy`, or the platform's default: each platform has the strategies it can carry out. */
function parseStrategy(r) {
    const strategy = oneOf('strategy', r.raw('strategy') || PLATFORM_DEFAULTS[r.platform].strategy, ['regenerate', 'replace', 'alternate'], r.problems);
    if (strategy === 'regenerate' && r.platform !== 'workload-security') {
        r.problems.push(`strategy regenerate does not apply on platform ${r.platform}: its keys cannot get a new secret; use replace (a new key takes over, the default there) or alternate`);
    }
    if (strategy === 'replace' && r.platform === 'workload-security') {
        r.problems.push('strategy replace applies only on platforms vision-one and cloud-one; workload-security keys use regenerate (the default) or alternate');
    }
    return strategy;
}
/** vision-one: a new key's lifetime in months; on workload-security, set it is an error. */
function parseExpiryMonths(r) {
    const value = r.raw('expiry-months');
    if (r.platform === 'cloud-one') {
        if (value && value !== INPUT_DEFAULTS['expiry-months'])
            r.problems.push("expiry-months does not apply on platform cloud-one: its keys have no expiry (rotation is the only limit on a secret's life)");
        return undefined;
    }
    if (r.platform === 'workload-security') {
        if (value && value !== INPUT_DEFAULTS['expiry-months']) {
            r.problems.push('expiry-months applies only on platform vision-one; workload-security keys take expiry-days');
        }
        return undefined;
    }
    const months = value || INPUT_DEFAULTS['expiry-months'];
    if (!src_settings/* LIFETIME_MONTHS */.Se.map(String).includes(months)) {
        r.problems.push(`expiry-months "${months}" is not one of ${src_settings/* LIFETIME_MONTHS */.Se.join(', ')}`);
        return 3;
    }
    return Number(months);
}
function parseExpiryDays(r) {
    const value = r.raw('expiry-days');
    if (r.platform === 'cloud-one') {
        if (value)
            r.problems.push("expiry-days does not apply on platform cloud-one: its keys have no expiry (rotation is the only limit on a secret's life)");
        return undefined;
    }
    return value ? integerInRange('expiry-days', value, 1, 3650, r.problems) : undefined;
}
function parseFlag(r) {
    const value = r.value('flag').trim().toLowerCase();
    if (value === 'none')
        return [];
    const kinds = value
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean);
    const unknown = kinds.filter((k) => !src_settings/* FINDING_KINDS */.mH.includes(k));
    if (unknown.length > 0) {
        r.problems.push(`flag "${unknown.join(', ')}" is not a finding kind: use ${src_settings/* FINDING_KINDS */.mH.join(', ')}, or none`);
    }
    return kinds.filter((k) => src_settings/* FINDING_KINDS */.mH.includes(k));
}
function parseStore(r, operation, githubToken) {
    const { problems } = r;
    const secretName = r.raw('secret-name');
    if (!secretName) {
        problems.push(`operation ${operation} needs secret-name: the GitHub secret that receives the new secret key`);
    }
    else if (!SECRET_NAME_PATTERN.test(secretName) || /^GITHUB_/i.test(secretName)) {
        problems.push(`secret-name "${secretName}" is not a valid GitHub secret name: letters, digits and _ only,` +
            ' not starting with a digit or GITHUB_');
    }
    if (!githubToken) {
        problems.push(`operation ${operation} needs github-token: a GitHub App installation token or fine-grained token that can write the secrets` +
            " (the workflow's own GITHUB_TOKEN cannot write secrets)");
    }
    const secretType = oneOf('secret-type', r.value('secret-type'), src_settings/* SECRET_TYPES */.J1, problems);
    const organization = r.raw('organization');
    const environment = r.raw('environment');
    const repositoriesInput = r.raw('repositories');
    const visibilityInput = r.raw('visibility');
    // It reaches the log and the printed replay commands: one line of printable text.
    if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(environment) || environment.length > 255) {
        problems.push('environment must be a GitHub environment name: one line of at most 255 printable characters');
    }
    if (environment && secretType !== 'actions') {
        problems.push(`environment applies only with secret-type actions (${secretType} secrets have no environments)`);
    }
    let scope;
    if (organization) {
        if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(organization)) {
            problems.push(`organization "${organization}" is not a GitHub organization name`);
        }
        if (environment)
            problems.push('set only one of organization and environment');
        const visibility = visibilityInput
            ? oneOf('visibility', visibilityInput, src_settings/* VISIBILITIES */.jZ, problems)
            : undefined;
        if (repositoriesInput && visibility !== 'selected') {
            problems.push('repositories applies with organization only together with visibility: selected (the repositories that may read the secret)');
        }
        scope = {
            kind: 'organization',
            organization,
            visibility,
            ...(repositoriesInput &&
                visibility === 'selected' && {
                repositories: parseRepositories(repositoriesInput, problems)
            })
        };
    }
    else {
        if (visibilityInput)
            problems.push('visibility applies only with organization');
        const repositories = parseRepositories(repositoriesInput || r.env.GITHUB_REPOSITORY || '', problems);
        if (repositories.length === 0 && problems.every((p) => !p.startsWith('repositories'))) {
            problems.push('repositories is required when GITHUB_REPOSITORY is not set: owner/name, one per line');
        }
        scope = environment
            ? { kind: 'environment', repositories, environment }
            : { kind: 'repository', repositories };
    }
    return {
        secretName: secretName.toUpperCase(),
        secretType,
        scope,
        githubToken,
        githubApiUrl: parseServiceUrl('GITHUB_API_URL', r.env.GITHUB_API_URL || 'https://api.github.com', problems),
        verify: parseBoolean('verify', r.value('verify'), problems),
        writesPerMinute: integerInRange('writes-per-minute', r.value('writes-per-minute'), 1, 1000, problems),
        writesPerHour: integerInRange('writes-per-hour', r.value('writes-per-hour'), 1, 10000, problems)
    };
}
function parseRepositories(value, problems) {
    const seen = new Map();
    for (const entry of value.split(/[\n,]/).map((s) => s.trim())) {
        if (!entry)
            continue;
        if (!REPOSITORY_PATTERN.test(entry)) {
            problems.push(`repositories entry "${entry}" is not owner/name${/\s/.test(entry) ? ': separate repositories with commas or newlines, not spaces' : ''}`);
        }
        else if (!seen.has(entry.toLowerCase())) {
            seen.set(entry.toLowerCase(), entry);
        }
    }
    return [...seen.values()];
}
/** A numeric ID (1 to int32's largest) in its canonical text: `007` is `7`. */
function parseId(value) {
    if (!/^\d{1,10}$/.test(value))
        return undefined;
    const id = Number(value);
    return id >= 1 && id <= INT32_MAX ? String(id) : undefined;
}
function parseBoolean(name, value, problems) {
    if (/^(true|True|TRUE)$/.test(value))
        return true;
    if (/^(false|False|FALSE)$/.test(value))
        return false;
    problems.push(`${name} "${value}" must be true or false`);
    return false;
}
function integerInRange(name, value, min, max, problems) {
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(n >= min && n <= max)) {
        problems.push(`${name} "${value}" must be a whole number from ${min} to ${max}`);
        return min;
    }
    return n;
}
function oneOf(name, value, allowed, problems) {
    const lower = value.toLowerCase();
    if (allowed.includes(lower))
        return lower;
    problems.push(`${name} "${value}" is not one of ${allowed.join(', ')}`);
    return allowed[0];
}

// EXTERNAL MODULE: ./src/dates.ts
var dates = __nccwpck_require__(718);
// EXTERNAL MODULE: ./src/operations/resolve.ts
var resolve = __nccwpck_require__(646);
// EXTERNAL MODULE: ./src/operations/phase.ts
var phase = __nccwpck_require__(669);
;// CONCATENATED MODULE: ./src/operations/audit.ts





/*
 * audit: read-only. Three reads whatever the number of keys (every key, every role, the
 * authenticating key), then each key's findings. The authenticating key is reported, never
 * flagged: locking it would cut off the audit itself.
 */
/** Most urgent first: the order of the summary's rows. */
const URGENCY = [
    'expired',
    'expiring',
    'locked',
    'never-used',
    'stale',
    'failed-sign-ins',
    'full-access',
    'no-expiry'
];
async function audit(settings, context) {
    const { platform, clock, result } = context;
    const [keys, roles, authenticatingKey] = await (0,phase/* phase */.O)('Read', context, () => Promise.all([
        platform.listKeys(),
        platform.listRoles().catch((error) => {
            core/* warning */.$e(`The roles could not be read (${(0,redaction/* errorText */.kc)(error)}): role names and the full-access finding are left out.`);
            return undefined;
        }),
        platform.getAuthenticatingKey()
    ]));
    const at = clock.now();
    // A platform whose keys name their role (vision-one) needs no list of roles.
    const roleOf = (key) => roles?.find((r) => key.role.id !== undefined ? r.id === key.role.id : r.name === key.role.name) ?? (key.role.name === undefined ? undefined : { ...key.role, name: key.role.name });
    const rows = keys.map((key) => {
        const role = roleOf(key);
        const findings = findingsOf(key, role, at, settings, platform);
        const authenticating = key.id === authenticatingKey?.id;
        const flagged = !authenticating && findings.some((f) => !f.unflagged && settings.flag.includes(f.kind));
        return { key, role, findings, flagged, authenticating };
    });
    rows.sort((a, b) => urgency(a) - urgency(b) ||
        (a.key.expiresAt ?? Infinity) - (b.key.expiresAt ?? Infinity) ||
        (0,resolve/* compareKeyIds */.jk)(a.key.id, b.key.id));
    result.audit = {
        keys: rows,
        flaggedKeyIds: rows.filter((r) => r.flagged).map((r) => r.key.id),
        at,
        ...(platform.keysNeverExpire && { keysNeverExpire: true })
    };
    if (platform.keysNeverExpire)
        core/* info */.pq("Keys of this platform never expire: rotation is the only limit on a secret's life");
    for (const row of rows) {
        if (row.findings.length === 0)
            continue;
        core/* info */.pq(`${(0,resolve/* keyLabel */.w8)(row.key)}: ${row.findings.map((f) => f.kind).join(', ')}${row.flagged ? ' (flagged)' : ''}${row.authenticating ? ' (the key this action authenticates with: never flagged)' : ''}`);
    }
    core/* info */.pq(`Audited ${keys.length} key(s); ${result.audit.flaggedKeyIds.length} flagged (${settings.flag.join(', ') || 'none'})`);
}
function urgency(row) {
    const best = Math.min(...row.findings.map((f) => URGENCY.indexOf(f.kind)), URGENCY.length);
    return (row.flagged ? 0 : URGENCY.length + 1) + best;
}
/** What is worth knowing about one key at `at`. */
function findingsOf(key, role, at, settings, { allPowerfulRole, keysNeverExpire }) {
    const findings = [];
    const add = (kind, detail, unflagged) => {
        findings.push({ kind, detail, ...(unflagged && { unflagged }) });
    };
    if (keysNeverExpire) {
        // No key of the platform has an expiry: the summary says so once, not per key.
    }
    else if (key.expiresAt === undefined)
        add('no-expiry', 'the key never expires');
    else if (key.expiresAt <= at)
        add('expired', `expired ${(0,dates/* relative */.V8)(key.expiresAt, at)}`);
    else if (key.expiresAt - at <= settings.warnDays * dates/* DAY_MS */.sO)
        add('expiring', `expires ${(0,dates/* relative */.V8)(key.expiresAt, at)}`);
    const staleMs = settings.staleDays * dates/* DAY_MS */.sO;
    if (key.lastUsedAt === undefined) {
        // A key whose age is unknown may have been made a minute ago: reported, never flagged.
        if (key.createdAt === undefined)
            add('never-used', 'never signed in; age unknown', true);
        else if (at - key.createdAt >= staleMs)
            add('never-used', `never signed in; created ${(0,dates/* relative */.V8)(key.createdAt, at)}`);
    }
    else if (at - key.lastUsedAt >= staleMs) {
        add('stale', `last signed in ${(0,dates/* relative */.V8)(key.lastUsedAt, at)}`);
    }
    if (!key.active)
        add('locked', 'active: false');
    if ((key.failedSignIns ?? 0) > 0)
        add('failed-sign-ins', `${key.failedSignIns} unsuccessful sign-in attempt(s)`);
    // The all-powerful role by name, or by ID where roles have IDs that say it.
    if (role?.name === allPowerfulRole || key.role.id === allPowerfulRole)
        add('full-access', `role ${(0,resolve/* roleLabel */.bR)(role ?? key.role)}`);
    return findings;
}

// EXTERNAL MODULE: ./src/platforms/key-platform.ts
var key_platform = __nccwpck_require__(947);
;// CONCATENATED MODULE: ./src/operations/delete.ts




/**
 * Deletes a key for good; refuses the authenticating key unless allowed. A green run means
 * the key is gone: a key that does not exist fails (a mistyped ID in an incident must not
 * look like success); the platform decides what "does not exist" means.
 */
async function deleteKey(settings, context) {
    const { platform, result } = context;
    const { selector } = settings;
    const { key, authenticating } = await (0,phase/* phase */.O)('Lookup', context, () => (0,resolve/* resolveKeyAndAuthenticating */.V8)(platform, selector).catch((error) => {
        if (error instanceof key_platform/* KeyNotFoundError */.bU) {
            throw new Error(`API key ${error.id} does not exist; nothing was deleted.`, {
                cause: error
            });
        }
        throw error;
    }));
    (0,resolve/* guardAuthenticatingKey */.$E)(key, authenticating, settings.allowSelf, 'delete');
    result.key = key;
    const roleNamed = (0,resolve/* lookUpRoleName */.S8)(context, key);
    // Deleting the authenticating key revokes the secret the lookup is sent with.
    if (authenticating)
        await roleNamed;
    if (settings.dryRun) {
        core/* info */.pq(`Dry run: ${(0,resolve/* keyLabel */.w8)(key)} would be deleted`);
        result.note('would be deleted');
        return roleNamed;
    }
    await (0,phase/* phase */.O)('Delete', context, () => (0,phase/* change */.Z)(context, `the deletion of ${(0,resolve/* keyLabel */.w8)(key)}`, () => platform.deleteKey(key.id)));
    result.key = { ...key, active: false };
    result.change('deleted');
    core/* info */.pq(`Deleted ${(0,resolve/* keyLabel */.w8)(key)}`);
    await roleNamed;
}

;// CONCATENATED MODULE: ./src/operations/describe.ts



/** Reads one key. */
async function describe(settings, context) {
    const key = await (0,phase/* phase */.O)('Lookup', context, () => (0,resolve/* resolveKey */.oO)(context.platform, settings.selector));
    context.result.key = key;
    await (0,resolve/* lookUpRoleName */.S8)(context, key);
    core/* info */.pq(`Found ${(0,resolve/* keyLabel */.w8)(key)} (role ${key.role.id}, ${key.active ? 'active' : 'locked'})`);
}

// EXTERNAL MODULE: ./src/result.ts
var src_result = __nccwpck_require__(666);
;// CONCATENATED MODULE: ./src/operations/set-active.ts



/** lock (`active: false`; refuses the authenticating key unless allowed) and unlock (`active: true`). */
async function setActive(settings, context) {
    const { platform, result } = context;
    const active = settings.operation === 'unlock';
    const { key, authenticating } = await (0,phase/* phase */.O)('Lookup', context, async () => {
        if (settings.operation === 'unlock')
            return { key: await (0,resolve/* resolveKey */.oO)(platform, settings.selector), authenticating: false };
        const { key, authenticating } = await (0,resolve/* resolveKeyAndAuthenticating */.V8)(platform, settings.selector);
        (0,resolve/* guardAuthenticatingKey */.$E)(key, authenticating, settings.allowSelf, 'lock');
        return { key, authenticating };
    });
    result.key = key;
    const roleNamed = (0,resolve/* lookUpRoleName */.S8)(context, key);
    // Locking the authenticating key revokes the secret the lookup is sent with.
    if (authenticating)
        await roleNamed;
    if (key.active === active) {
        core/* info */.pq(`${(0,resolve/* keyLabel */.w8)(key)} is already ${active ? 'active' : 'locked'}: nothing to change`);
        return roleNamed;
    }
    const described = active ? 'unlocked (active: true)' : 'locked (active: false)';
    if (settings.dryRun) {
        core/* info */.pq(`Dry run: ${(0,resolve/* keyLabel */.w8)(key)} would be ${described}`);
        result.note(`would be ${described}`);
        return roleNamed;
    }
    result.key = await (0,phase/* phase */.O)('Update', context, () => (0,phase/* change */.Z)(context, `the ${settings.operation} of ${(0,resolve/* keyLabel */.w8)(key)}`, () => platform.updateKey(key.id, { active })));
    result.change(described);
    core/* info */.pq(`${(0,resolve/* keyLabel */.w8)(result.key)} ${described}`);
    await roleNamed;
}

;// CONCATENATED MODULE: ./src/operations/set-role.ts




/** Moves a key to another role; refuses the authenticating key unless allowed. */
async function setRole(settings, context) {
    const { platform, result } = context;
    const [{ key, authenticating }, role] = await (0,phase/* phase */.O)('Lookup', context, () => Promise.all([
        (0,resolve/* resolveKeyAndAuthenticating */.V8)(platform, settings.selector),
        (0,resolve/* resolveRole */.fy)(platform, settings.role)
    ]));
    if (!(0,key_platform/* hasRole */.hf)(key, role))
        (0,resolve/* guardAuthenticatingKey */.$E)(key, authenticating, settings.allowSelf, 'set-role');
    result.key = key;
    result.role = role;
    if ((0,key_platform/* hasRole */.hf)(key, role)) {
        core/* info */.pq(`${(0,resolve/* keyLabel */.w8)(key)} already has role ${(0,resolve/* roleLabel */.bR)(role)}: nothing to change`);
        return;
    }
    const described = `role ${(0,resolve/* roleLabel */.bR)(key.role)} -> ${(0,resolve/* roleLabel */.bR)(role)}`;
    if (settings.dryRun) {
        core/* info */.pq(`Dry run: would change ${(0,resolve/* keyLabel */.w8)(key)}: ${described}`);
        result.note(`would change ${described}`);
        return;
    }
    result.key = await (0,phase/* phase */.O)('Update', context, () => (0,phase/* change */.Z)(context, `the role change of ${(0,resolve/* keyLabel */.w8)(key)}`, () => platform.updateKey(key.id, { role })));
    result.change(described);
    core/* info */.pq(`Changed ${(0,resolve/* keyLabel */.w8)(result.key)}: ${described}`);
}

// EXTERNAL MODULE: ./src/github/holders.ts
var github_holders = __nccwpck_require__(712);
// EXTERNAL MODULE: ./src/http/api-transport.ts + 3 modules
var api_transport = __nccwpck_require__(819);
// EXTERNAL MODULE: ./src/http/http-error.ts
var http_error = __nccwpck_require__(161);
// EXTERNAL MODULE: ./src/http/read-capped.ts
var read_capped = __nccwpck_require__(382);
// EXTERNAL MODULE: ./src/http/retry-decisions.ts
var retry_decisions = __nccwpck_require__(476);
// EXTERNAL MODULE: ./src/http/retry.ts
var retry = __nccwpck_require__(902);
// EXTERNAL MODULE: ./src/version.ts + 1 modules
var version = __nccwpck_require__(13);
;// CONCATENATED MODULE: ./src/platforms/platform-client.ts


/**
 * What every key platform's client shares: one transport to its API, made from the connection
 * settings and the platform's {@link Wire}; the same client with another secret (a new key's,
 * to prove it or to act once the old key is gone); the same client for clean-ups after a signal.
 */
class PlatformClient {
    connection;
    request;
    clock;
    cancellation;
    transport;
    constructor(connection, request, clock, cancellation) {
        this.connection = connection;
        this.request = request;
        this.clock = clock;
        this.cancellation = cancellation;
        this.transport = new api_transport/* ApiTransport */.ee({
            baseUrl: connection.apiUrl,
            caCertificate: connection.caCertificate,
            request,
            clock,
            cancellation,
            ...this.wire(connection)
        });
    }
    dispose() {
        this.transport.dispose();
    }
    withSecret(secret) {
        return this.copy({ ...this.connection, apiSecretKey: secret }, this.request, this.cancellation);
    }
    /**
     * For clean-ups after a signal: a signal does not abandon them, and each is one attempt,
     * answered within most of the time the run has to report after SIGTERM.
     */
    forCleanUp() {
        return this.copy(this.connection, { maxAttempts: 1, timeoutMs: Math.min(this.request.timeoutMs, (src_cancellation/* URGENT_REPORT_MS */.mQ * 4) / 5) }, new src_cancellation/* Cancellation */.mT());
    }
    copy(connection, request, cancellation) {
        const Client = this.constructor;
        return new Client(connection, request, this.clock, cancellation);
    }
}

;// CONCATENATED MODULE: ./src/platforms/cloud-one/wire.ts

/** The largest time a JavaScript Date holds: a larger value is not a date the action can show. */
const MAX_DATE_MS = 8.64e15;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/**
 * A key ID (Trend's are 27 letters and digits): anything else is refused before it can become
 * part of a path or a log line.
 */
function isKeyId(value) {
    return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(value);
}
/** A role's short ID (`full-access`). */
function isRoleId(value) {
    return typeof value === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(value);
}
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
function time(value) {
    if (typeof value !== 'string' || !DATE_TIME.test(value))
        return undefined;
    const ms = Date.parse(value);
    return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}
const strings = (value) => Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
/**
 * A key answer as a {@link Key}; undefined when it lacks what the action relies on (an ID, an
 * alias, `enabled`, a role ID).
 */
function toKey(value) {
    if (!isObject(value) || !isKeyId(value.id) || typeof value.alias !== 'string')
        return undefined;
    if (typeof value.enabled !== 'boolean' || !isRoleId(value.roleID))
        return undefined;
    const key = {
        id: value.id,
        name: (0,redaction/* scrubbed */.fG)(value.alias),
        role: { id: value.roleID },
        active: value.enabled
    };
    const optional = {
        description: typeof value.description === 'string' ? (0,redaction/* scrubbed */.fG)(value.description) : undefined,
        createdAt: time(value.created),
        lastUsedAt: time(value.lastActivity)
    };
    for (const [field, v] of Object.entries(optional))
        if (v !== undefined)
            Object.assign(key, { [field]: v });
    return key;
}
/**
 * The settings of a key answer that a replacement copies; undefined when its network limits
 * are not lists of text (a key whose limits are unknown must not be replaced by one without).
 */
function settingsOf(value) {
    if (!isObject(value))
        return undefined;
    const allowedIPs = value.allowedIPs === undefined ? [] : strings(value.allowedIPs);
    const allowedCIDRs = value.allowedCIDRs === undefined ? [] : strings(value.allowedCIDRs);
    if (!allowedIPs || !allowedCIDRs)
        return undefined;
    return {
        ...(typeof value.locale === 'string' && value.locale !== '' && { locale: value.locale }),
        ...(typeof value.timezone === 'string' &&
            value.timezone !== '' && { timezone: value.timezone }),
        allowedIPs,
        allowedCIDRs
    };
}
/** A role answer: its short ID and its name. */
function toRole(value) {
    if (!isObject(value) || !isRoleId(value.id) || typeof value.name !== 'string')
        return undefined;
    return { id: value.id, name: (0,redaction/* scrubbed */.fG)(value.name) };
}
/** The `POST /apikeys/{id}` body of a change; throws for what a Cloud One key cannot change. */
function toApiKeyChanges(changes) {
    if (changes.expiresAt !== undefined)
        throw new Error('A Cloud One account key has no expiry: it cannot be changed.');
    if (changes.role !== undefined && !isRoleId(changes.role.id))
        throw new Error('A Cloud One role is named by its short ID (role-id, e.g. full-access).');
    return {
        ...(changes.name !== undefined && { alias: changes.name }),
        ...(changes.role !== undefined && { roleID: changes.role.id }),
        ...(changes.active !== undefined && { enabled: changes.active })
    };
}
/**
 * The `POST /apikeys` body of a new key: no network limits (a limited key could not be proven
 * from the runner; a replacement gets the old key's limits after its proof), and the language
 * and time zone of `copied` when it replaces a key.
 */
function toNewApiKey(key, copied) {
    if (!isRoleId(key.role.id))
        throw new Error('A Cloud One role is named by its short ID (role-id, e.g. full-access).');
    return {
        alias: key.name,
        description: key.description,
        roleID: key.role.id,
        ...(copied?.locale !== undefined && { locale: copied.locale }),
        ...(copied?.timezone !== undefined && { timezone: copied.timezone })
    };
}
/**
 * The value a consumer holds, `<id>:<secret>`, from a create answer's `secret` (bare, or
 * already `<id>:<secret>`: never the ID twice). Undefined when there is no secret; null when
 * the secret names another key (the answer contradicts itself).
 */
function secretValueOf(id, secret) {
    if (typeof secret !== 'string' || secret === '')
        return undefined;
    const colon = secret.indexOf(':');
    if (colon < 0)
        return `${id}:${secret}`;
    return secret.slice(0, colon) === id && colon < secret.length - 1 ? secret : null;
}
/**
 * The `id` and `secret` of a create answer whose text does not parse (cut off mid-body): only
 * complete string values count.
 */
function createdInText(text) {
    const field = (name) => {
        const match = new RegExp(`"${name}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`).exec(text);
        if (!match)
            return undefined;
        try {
            const value = JSON.parse(match[1]);
            return typeof value === 'string' && value !== '' ? value : undefined;
        }
        catch {
            return undefined;
        }
    };
    return { id: field('id'), secret: field('secret') };
}
/** The server's message, with its `fields` when present: `{"message", "fields": {...}}`. */
function errorMessageOf(body) {
    if (!isObject(body) || typeof body.message !== 'string')
        return undefined;
    if (!isObject(body.fields))
        return body.message;
    const fields = Object.entries(body.fields)
        .map(([name, why]) => `${name}: ${typeof why === 'string' ? why : JSON.stringify(why)}`)
        .join('; ');
    return `${body.message.replace(/[.\s]+$/, '')} (${fields})`;
}
/** The items of one page (`apikeys` or `roles`); undefined when the field is not a list. */
function pageItemsOf(page, field) {
    return isObject(page) && Array.isArray(page[field]) ? page[field] : undefined;
}
/** The page's `next` cursor: undefined on the last page, null when it is not text. */
function nextCursorOf(page) {
    const next = isObject(page) ? page.next : undefined;
    if (next === undefined || next === null || next === '')
        return undefined;
    return typeof next === 'string' ? next : null;
}
/** What a key shows of the fields a request sent, for an error that compares the two. */
function shownText(answer, fields) {
    if (!isObject(answer))
        return 'no key';
    return (0,redaction/* untrusted */.bp)(JSON.stringify(Object.fromEntries(fields.map((f) => [f, answer[f] ?? null]))), 300);
}
/** A request body for an error message (never a secret: bodies carry none). */
function sentText(body) {
    return (0,redaction/* untrusted */.bp)(JSON.stringify(body), 300);
}
/** Whether two lists hold the same texts, in any order. */
function sameSet(a, b) {
    const [x, y] = [new Set(a), new Set(b)];
    return x.size === y.size && [...x].every((v) => y.has(v));
}

;// CONCATENATED MODULE: ./src/platforms/cloud-one/client.ts











const KEYS = '/apikeys';
/** The largest page asked for; the list is read in full. */
const PAGE_LIMIT = 100;
/** Pages followed at most: a service that pages on is stopped. */
const MAX_PAGES = 1_000;
/** The waits after a new secret's 401: a new key may take a moment to work. */
const ACTIVATION_WAITS_MS = [1_000, 2_000];
/**
 * Trend Cloud One account API keys (`https://accounts.cloudone.trendmicro.com/api`), as a
 * {@link KeyPlatform}. Every request sends `Api-Version: v1` and `Authorization: ApiKey
 * <id>:<secret>`; the authenticating key's ID is the part of its secret before the first `:`.
 * No key has an expiry and no secret can be regenerated: rotation replaces the key. Every point
 * the reference infers (the fields of a create or a change, their answers) is checked against
 * the answer or a read-back, so that a service that differs fails loudly, with what was sent
 * and what came back.
 */
class CloudOneClient extends PlatformClient {
    /** The role ID of the role whose keys may do anything. */
    allPowerfulRole = 'full-access';
    canChangeExpiry = false;
    keysNeverExpire = true;
    roles;
    /** Cloud One's headers (`Api-Version`, the key as `Authorization: ApiKey`) and errors. */
    wire(connection) {
        return {
            headers: { 'Api-Version': 'v1', Authorization: `ApiKey ${connection.apiSecretKey}` },
            messageOf: errorMessageOf,
            describeFailure,
            malformedHint: 'is api-url the Cloud One accounts API (https://accounts.cloudone.trendmicro.com/api)?'
        };
    }
    /** The key whose ID leads the secret (`<id>:<secret>`). */
    getAuthenticatingKey() {
        const id = this.authenticatingId();
        if (!isKeyId(id))
            return Promise.reject(new Error('api-secret-key is not a Cloud One key (<id>:<secret>).'));
        return this.getKey(id);
    }
    async getKey(id) {
        return (await this.read(id)).key;
    }
    async listKeys() {
        return this.every('GET', KEYS, await this.list('apikeys'), toKey);
    }
    /** The one key whose alias is exactly `name`, from the whole list (there is no search). */
    async findKeyByName(name) {
        const keys = await this.listKeys();
        return (0,key_platform/* atMostOne */.jH)(keys.filter((k) => k.name === name), `API key named "${(0,redaction/* logSafe */.sN)(name)}"`, 'key-name', (k) => k.id);
    }
    /**
     * `POST /apikeys/{id}` with only the fields that change. The answer (or, when it is not the
     * key or does not show the change, a read-back) must show every change.
     */
    async updateKey(id, changes) {
        const path = keyPath(id);
        const body = toApiKeyChanges(changes);
        if (Object.keys(body).length === 0)
            return this.getKey(id);
        const answer = await this.post(path, body);
        const answered = answer === undefined ? undefined : toKey(answer);
        if (answered !== undefined && answered.id !== id) {
            throw new http_error/* HttpError */.j$(`POST ${path} answered with key ${answered.id}, not key ${id}: whether key ${id} was changed is not known. Check it (operation describe).`, { method: 'POST', path, status: 200 });
        }
        if (answered && (0,key_platform/* showsChanges */.Kt)(answered, changes))
            return answered;
        const read = await this.read(id);
        if ((0,key_platform/* showsChanges */.Kt)(read.key, changes))
            return read.key;
        throw new http_error/* HttpError */.j$(`POST ${path} sent ${sentText(body)} and answered success, but key ${id} shows ${shownText(read.raw, Object.keys(body))}: the change was not made. ` +
            `The service differs from what this action knows of it: please report it at ${version/* ISSUES_URL */.xV}. Check the key (operation describe).`, { method: 'POST', path, status: 200 });
    }
    /**
     * `DELETE /apikeys/{id}` (answered 200 or 204), retried like any call: a 404 is a key that
     * does not exist, unless an earlier attempt may have reached the service (then that attempt
     * deleted it). A success counts when a read answers 404.
     */
    async deleteKey(id) {
        const path = keyPath(id);
        let retriedAfterSending = false;
        try {
            await this.transport.call('DELETE', path, {
                decide: (error) => {
                    const decision = (0,retry_decisions/* platformRetry */.YD)(error);
                    if (decision.retry && error instanceof http_error/* HttpError */.j$ && !error.notSent && !error.rateLimited)
                        retriedAfterSending = true;
                    return decision;
                }
            });
        }
        catch (error) {
            if (!(error instanceof http_error/* HttpError */.j$) || error.status !== 404)
                throw error;
            if (!retriedAfterSending) {
                // "Does not exist" counts only when the key cannot be read either.
                await this.confirmGone(id, 'answered HTTP 404', 404);
                throw new key_platform/* KeyNotFoundError */.bU(id, error.message, { cause: error });
            }
            core/* info */.pq(`DELETE ${path} answered that key ${id} does not exist after a retry: the earlier attempt deleted it`);
        }
        await this.confirmGone(id, 'answered success', 200);
    }
    /** After a delete: the key must be gone (a 404, or a 401 when it was the authenticating key). */
    async confirmGone(id, said, status) {
        const path = keyPath(id);
        try {
            // The service just answered the delete: a 404 here is the key, not api-url.
            await this.transport.call('GET', path);
        }
        catch (error) {
            if (error instanceof http_error/* HttpError */.j$ && error.status === 404)
                return;
            // The key deleted was the one authenticating: its secret stops working with it.
            if (error instanceof http_error/* HttpError */.j$ && error.status === 401)
                return;
            throw error;
        }
        throw new http_error/* HttpError */.j$(`DELETE ${path} ${said}, but key ${id} can still be read: it was not deleted. Check the key (operation describe) and run again.`, { method: 'DELETE', path, status });
    }
    /**
     * Creates a key once (waited for at least {@link ISSUING_TIMEOUT_MS}, retried only where the
     * service certainly did not act), without network limits. The secret is masked the moment it
     * is read and returned as `<id>:<secret>`. The new key must show what was sent (the fields are
     * inferred): otherwise it is deleted again and the run fails with what was sent and what came
     * back.
     */
    async createKey(newKey) {
        let copied;
        if (newKey.replacing) {
            try {
                copied = (await this.read(newKey.replacing.id)).settings;
            }
            catch (error) {
                throw new Error(`Reading key ${newKey.replacing.id} to copy its language and time zone failed (${(0,redaction/* errorText */.kc)(error)}). No key was created.`, { cause: error });
            }
        }
        const body = toNewApiKey(newKey, copied);
        let status;
        let text;
        try {
            ;
            ({ status, text } = await this.transport.call('POST', KEYS, {
                body,
                timeoutMs: Math.max(retry_decisions/* ISSUING_TIMEOUT_MS */.K0, this.request.timeoutMs),
                decide: retry_decisions/* issuingRetry */.lL
            }));
        }
        catch (error) {
            // A whole id and secret that arrived before the connection dropped are kept: the only copy.
            const partial = error instanceof http_error/* HttpError */.j$ ? error.partialBody : undefined;
            const salvaged = partial === undefined ? undefined : this.salvage(createdInText(partial));
            if (salvaged)
                return salvaged;
            if (error instanceof http_error/* HttpError */.j$ && !error.unclear)
                throw withSent(error, body);
            throw error;
        }
        const parsed = (0,api_transport/* parseJson */.qF)(text);
        const fields = parsed === undefined
            ? createdInText(text)
            : parsed;
        const rawSecret = fields && typeof fields.secret === 'string' ? fields.secret : undefined;
        if (rawSecret)
            (0,redaction/* protectSecret */.ol)(rawSecret);
        const answeredId = fields && isKeyId(fields.id) ? fields.id : undefined;
        const id = answeredId ?? rawSecret?.slice(0, Math.max(rawSecret.indexOf(':'), 0));
        const unclear = (why) => new http_error/* HttpError */.j$(`POST ${KEYS} answered HTTP ${status} ${why}. The service may have created a key whose secret this run cannot use.`, { method: 'POST', path: KEYS, status });
        if (!rawSecret)
            throw unclear("without the new key's secret");
        if (!id || !isKeyId(id))
            throw unclear("with a secret but without the new key's ID");
        const secret = secretValueOf(id, rawSecret);
        if (secret === null)
            throw unclear(`with a secret that names another key than ${id}`);
        (0,redaction/* protectSecret */.ol)(secret);
        if (parsed === undefined)
            return { secret: secret };
        return { secret: secret, key: await this.checkCreated(id, body, parsed) };
    }
    /**
     * Resolves when `secret` authenticates as `key`: `GET /apikeys/{id}` with the secret itself
     * answers that key. A 401 is asked again after 1 and 2 s (a new key may take a moment). A key
     * whose network limits keep this runner out cannot be tried from here: it is read with
     * api-secret-key instead, and must exist and be enabled.
     */
    async verifySecret(secret, key) {
        const client = this.withSecret(secret);
        const path = keyPath(key.id);
        let waits = 0;
        let gaveUp = false;
        const activation = (error) => {
            if (!(error instanceof http_error/* HttpError */.j$) || error.status !== 401)
                return { retry: false };
            gaveUp = waits === ACTIVATION_WAITS_MS.length;
            return gaveUp ? { retry: false } : { retry: true, afterMs: ACTIVATION_WAITS_MS[waits++] };
        };
        try {
            // The first signal ends the activation wait: the secret is then neither proven nor refused.
            await (0,retry/* withRetry */.bD)(() => client.read(key.id, false), {
                maxAttempts: ACTIVATION_WAITS_MS.length + 1,
                clock: this.clock,
                signal: this.cancellation.requested,
                decide: activation
            });
        }
        catch (error) {
            if (!(error instanceof http_error/* HttpError */.j$) || !error.rejected)
                throw error;
            // A wait the signal cut short proves nothing either way: the run was cancelled.
            if (error.status === 401 && !gaveUp)
                this.cancellation.throwIfRequested();
            const { key: read, settings } = await this.read(key.id);
            if (read.active && settings && hasLimits(settings)) {
                core/* info */.pq(`Key ${key.id} accepts requests only from its allowed addresses, which keep this runner out: its secret cannot be tried from here. Read with api-secret-key, it exists and is enabled.`);
                return;
            }
            throw new http_error/* HttpError */.j$(`The new secret did not authenticate: GET ${path} with it answered HTTP ${error.status}${error.serverMessage ? ` (${error.serverMessage})` : ''}.`, {
                method: 'GET',
                path,
                status: error.status,
                serverMessage: error.serverMessage,
                cause: error
            });
        }
        finally {
            client.dispose();
        }
    }
    /**
     * Gives `key` the allowed IPs and CIDRs `like` has now (read afresh): `POST /apikeys/{id}`,
     * confirmed by the answer or a read-back. Nothing to do when `like` has none.
     */
    async restrictLike(key, like) {
        const { settings } = await this.read(like.id);
        if (!settings)
            throw this.transport.malformed('GET', keyPath(like.id));
        const body = { allowedIPs: settings.allowedIPs, allowedCIDRs: settings.allowedCIDRs };
        if (!hasLimits(settings)) {
            core/* info */.pq(`Key ${like.id} has no network limits: key ${key.id} gets none either`);
            return key;
        }
        const path = keyPath(key.id);
        const answer = await this.post(path, body);
        const shows = (raw) => {
            const limits = settingsOf(raw);
            return (toKey(raw)?.id === key.id &&
                limits !== undefined &&
                sameSet(limits.allowedIPs, body.allowedIPs) &&
                sameSet(limits.allowedCIDRs, body.allowedCIDRs));
        };
        let shown = answer;
        if (!shows(shown))
            shown = (await this.read(key.id)).raw;
        if (!shows(shown)) {
            throw new http_error/* HttpError */.j$(`POST ${path} sent ${sentText(body)} and answered success, but key ${key.id} shows ${shownText(shown, ['allowedIPs', 'allowedCIDRs'])}: ` +
                `it does not have the old key's network limits. The service differs from what this action knows of it: please report it at ${version/* ISSUES_URL */.xV}.`, { method: 'POST', path, status: 200 });
        }
        core/* info */.pq(`Key ${key.id} now accepts requests only from the addresses key ${like.id} does (${body.allowedIPs.length} IP(s), ${body.allowedCIDRs.length} CIDR range(s))`);
        return toKey(shown) ?? key;
    }
    async getRole(id) {
        const roles = await this.listRoles();
        const role = roles.find((r) => r.id === id);
        if (role)
            return role;
        throw new Error(`role-id "${(0,redaction/* logSafe */.sN)(id)}" is not a role of this Cloud One account (roles: ${roles
            .slice(0, 20)
            .map((r) => r.id)
            .join(', ')}). Nothing was changed.`);
    }
    async findRoleByName(name) {
        return (0,key_platform/* atMostOne */.jH)((await this.listRoles()).filter((r) => r.name === name), `role named "${(0,redaction/* logSafe */.sN)(name)}"`, 'role-name', (r) => r.id ?? '');
    }
    /** Every role, read once per client (a run reads them for a lookup and for its report). */
    listRoles() {
        this.roles ??= this.list('roles').then((items) => this.every('GET', '/roles', items, toRole), (error) => {
            this.roles = undefined;
            throw error;
        });
        return this.roles;
    }
    /** The ID part of api-secret-key: the key it belongs to. */
    authenticatingId() {
        const secret = this.connection.apiSecretKey;
        return secret.slice(0, Math.max(secret.indexOf(':'), 0));
    }
    /** `<id>:<secret>` from what arrived of a create answer, masked; undefined when incomplete. */
    salvage({ id, secret }) {
        if (!secret)
            return undefined;
        (0,redaction/* protectSecret */.ol)(secret);
        const keyId = id ?? secret.slice(0, Math.max(secret.indexOf(':'), 0));
        const value = isKeyId(keyId) ? secretValueOf(keyId, secret) : undefined;
        if (!value)
            return undefined;
        (0,redaction/* protectSecret */.ol)(value);
        return { secret: value };
    }
    /**
     * The key a create made, which must show what was sent (the answer, or a read-back when the
     * answer is not the whole key): enabled, without network limits, every field as asked. A key
     * that differs is deleted again (its secret never left this run) and the run fails.
     */
    async checkCreated(id, body, answer) {
        const shows = (raw) => {
            const key = toKey(raw);
            const limits = settingsOf(raw);
            const asSent = Object.entries(body).every(([field, value]) => (raw[field] ?? '') === value);
            return key?.id === id && key.active && limits !== undefined && !hasLimits(limits) && asSent;
        };
        let shown = answer;
        if (!shows(shown)) {
            try {
                shown = (await this.read(id)).raw;
            }
            catch (error) {
                core/* warning */.$e(`The new key ${id} could not be read back after its creation (${(0,redaction/* errorText */.kc)(error)}).`);
                const key = toKey(answer);
                if (key?.id === id)
                    return key;
                throw new http_error/* HttpError */.j$(`POST ${KEYS} created key ${id}, but neither its answer nor a read-back shows the key: it is not known what was made.`, { method: 'POST', path: KEYS, status: 200, cause: error });
            }
        }
        if (shows(shown))
            return toKey(shown);
        // Only the key this run made may be deleted: one that bears another alias (or authenticates
        // this run) is not known to be it.
        const other = toKey(shown);
        if (other?.name !== body.alias || id === this.authenticatingId()) {
            throw new http_error/* HttpError */.j$(`POST ${KEYS} answered HTTP 2xx with a secret for key ${id}, which is ${other ? `"${(0,redaction/* logSafe */.sN)(other.name)}"` : 'not readable'}, not the new key "${(0,redaction/* logSafe */.sN)(body.alias)}": which key holds the secret is not known.`, { method: 'POST', path: KEYS, status: 200 });
        }
        const fields = [...Object.keys(body), 'enabled', 'allowedIPs', 'allowedCIDRs'];
        const what = `POST ${KEYS} sent ${sentText(body)}, but the new key ${id} shows ${shownText(shown, fields)}: the service differs from what this action knows of it (please report it at ${version/* ISSUES_URL */.xV}).`;
        try {
            await this.deleteKey(id);
        }
        catch (error) {
            throw new Error(`${what} Deleting that key failed too (${(0,redaction/* errorText */.kc)(error)}): delete it (operation delete, key-id ${id}). No GitHub secret was changed.`, { cause: error });
        }
        throw new Error(`${what} The new key was deleted again; nothing else was changed.`);
    }
    /**
     * One key, its answer and what a replacement copies; {@link KeyNotFoundError} when it does not
     * exist. A 404 counts only when the API answers at all (when the roles are not found either,
     * api-url is wrong and that error is thrown). `probe: false` skips that (a secret being proven
     * may be refused anywhere).
     */
    async read(id, probe = true) {
        const path = keyPath(id);
        try {
            const { status, text } = await this.transport.call('GET', path);
            const raw = (0,api_transport/* parseJson */.qF)(text);
            const key = toKey(raw);
            if (!key)
                throw this.transport.malformed('GET', path, status);
            if (key.id !== id) {
                throw new http_error/* HttpError */.j$(`GET ${path} answered with key ${key.id}, not key ${id}: this run acts only on the key it named, so it stops here. Nothing was changed.`, { method: 'GET', path, status });
            }
            return { key, raw, settings: settingsOf(raw) };
        }
        catch (error) {
            if (!(error instanceof http_error/* HttpError */.j$) || error.status !== 404 || !probe)
                throw error;
            const check = await this.transport
                .send('GET', '/roles?limit=1')
                .then(() => undefined)
                .catch((e) => e);
            if (check instanceof http_error/* HttpError */.j$ && check.status === 404)
                throw check;
            throw new key_platform/* KeyNotFoundError */.bU(id, error.message, { cause: error });
        }
    }
    /** A change: the parsed answer (undefined when empty); a failure says what was sent. */
    async post(path, body) {
        try {
            return await this.transport.callJson('POST', path, { body });
        }
        catch (error) {
            if (error instanceof http_error/* HttpError */.j$ && error.status !== undefined && error.status >= 400)
                throw withSent(error, body);
            throw error;
        }
    }
    /**
     * Every item of a list, page after page (`limit`, then `cursor` = the page's `next` until it
     * is absent); stops with an error at a repeated cursor, after {@link MAX_PAGES} pages or past
     * {@link MAX_LIST_BYTES} in all.
     */
    async list(field) {
        const first = `/${field}?limit=${PAGE_LIMIT}`;
        const items = [];
        const seen = new Set();
        let path = first;
        let budget = read_capped/* MAX_LIST_BYTES */.Cb;
        for (let page = 1;; page++) {
            const answer = await this.page(path, page, budget);
            budget -= answer.bytes;
            const got = pageItemsOf(answer.json, field);
            if (!got)
                throw this.transport.malformed('GET', path);
            items.push(...got);
            const next = nextCursorOf(answer.json);
            if (next === undefined)
                return items;
            if (next === null || seen.has(next) || page >= MAX_PAGES) {
                throw new http_error/* HttpError */.j$(`GET /${field} (page ${page}) answered with ${next === null ? 'a next cursor that is not text' : seen.has(next) ? 'a next cursor it gave before' : `a next cursor after ${MAX_PAGES} pages`}, so listing stopped.`, { method: 'GET', path, status: 200 });
            }
            seen.add(next);
            path = `${first}&cursor=${encodeURIComponent(next)}`;
        }
    }
    /** One page of a list, read within what is left of the list's byte budget. */
    async page(path, page, budget) {
        try {
            const { status, text } = await this.transport.call('GET', path, { maxBytes: budget });
            const json = (0,api_transport/* parseJson */.qF)(text);
            if (json === undefined)
                throw this.transport.malformed('GET', path, status);
            return { json, bytes: Buffer.byteLength(text) };
        }
        catch (error) {
            if (page === 1 || !(error instanceof http_error/* HttpError */.j$) || error.code !== 'EBODYTOOLARGE')
                throw error;
            throw new http_error/* HttpError */.j$(`GET ${path} (page ${page}): the list's pages add up to more than ${read_capped/* MAX_LIST_BYTES */.Cb / (1024 * 1024)} MiB, so listing stopped.`, { method: 'GET', path, code: error.code, cause: error });
        }
    }
    /** Every item mapped, or an error when one of them is not what the API documents. */
    every(method, path, items, map) {
        const mapped = items.map(map);
        if (mapped.some((m) => m === undefined))
            throw this.transport.malformed(method, path);
        return mapped;
    }
}
/** `/apikeys/{id}`: a path is never built from anything but a key ID. */
function keyPath(id) {
    if (!isKeyId(id))
        throw new Error(`"${(0,redaction/* logSafe */.sN)(id)}" is not a Cloud One key ID`);
    return `${KEYS}/${id}`;
}
function hasLimits(settings) {
    return settings.allowedIPs.length > 0 || settings.allowedCIDRs.length > 0;
}
/** The same error, saying what the request sent (bodies here never carry a secret). */
function withSent(error, body) {
    return new http_error/* HttpError */.j$(`${error.message} Sent: ${sentText(body)}.`, {
        method: error.method,
        path: error.path,
        status: error.status,
        serverMessage: error.serverMessage,
        code: error.code,
        retryAfterMs: error.retryAfterMs,
        rateLimited: error.rateLimited,
        partialBody: error.partialBody,
        cause: error
    });
}
function describeFailure(method, path, status, said) {
    const base = `${method} ${path} answered HTTP ${status}${said}`;
    if (status === 401) {
        return `${base}. The api-secret-key was rejected: its key may be locked, deleted, or replaced by an earlier rotation (a rotation deletes the old key: check which run rotated it last), or it is not the whole <id>:<secret>: check api-secret-key.`;
    }
    if (status === 403) {
        return `${base}. The key's role lacks the API key right this call needs, or its network limits (allowed IPs / CIDRs) keep this runner out.`;
    }
    if (status === 404) {
        return /^\/apikeys\/[^/?]+$/.test(path)
            ? `${base}. It does not exist in this Cloud One account.`
            : `${base}. Nothing answers at this address: check api-url (https://accounts.cloudone.trendmicro.com/api).`;
    }
    if (status === 405) {
        return `${base}. The service does not take this method here: it differs from what this action knows of the Cloud One API (please report it at ${version/* ISSUES_URL */.xV}).`;
    }
    if (status === 400) {
        return `${base}. If it names a field this action sent as unknown, the service differs from what this action knows of the Cloud One API (please report it at ${version/* ISSUES_URL */.xV}).`;
    }
    if (status === 429)
        return `${base}. Cloud One's rate limit was reached.`;
    return base;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(598);
;// CONCATENATED MODULE: ./src/platforms/vision-one/wire.ts


/** The largest time a JavaScript Date holds: a larger value is not a date the action can show. */
const wire_MAX_DATE_MS = 8.64e15;
/** An ISO 8601 date-time with a zone, as Trend writes them (`2025-02-06T10:00:00Z`). */
const wire_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/**
 * A key ID: Trend's are UUIDs (36 characters). Anything else is refused before it can become
 * part of a path or a log line.
 */
function wire_isKeyId(value) {
    return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9-]{0,35}$/.test(value);
}
const wire_isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Milliseconds of an ISO 8601 date-time; undefined when absent, null, empty or not a date. */
function wire_time(value) {
    if (typeof value !== 'string' || !wire_DATE_TIME.test(value))
        return undefined;
    const ms = Date.parse(value);
    return Number.isFinite(ms) && Math.abs(ms) <= wire_MAX_DATE_MS ? ms : undefined;
}
function wire_text(value) {
    return typeof value === 'string' ? (0,redaction/* scrubbed */.fG)(value) : undefined;
}
/**
 * A key answer as a {@link Key}; undefined when it lacks what the action relies on (an ID, a
 * name). A key is active only when its status says `enabled`.
 */
function wire_toKey(value) {
    if (!wire_isObject(value) || !wire_isKeyId(value.id) || typeof value.name !== 'string')
        return undefined;
    const key = {
        id: value.id,
        name: (0,redaction/* scrubbed */.fG)(value.name),
        role: typeof value.role === 'string' && value.role !== '' ? { name: (0,redaction/* scrubbed */.fG)(value.role) } : {},
        active: value.status === 'enabled'
    };
    const optional = {
        description: wire_text(value.description),
        createdAt: wire_time(value.createdDateTime),
        lastUsedAt: wire_time(value.lastUsedDateTime),
        expiresAt: wire_time(value.expiredDateTime)
    };
    for (const [field, v] of Object.entries(optional))
        if (v !== undefined)
            Object.assign(key, { [field]: v });
    return key;
}
/** The `PATCH` body of a change; throws for what Vision One cannot change or name. */
function wire_toApiKeyChanges(changes) {
    if (changes.expiresAt !== undefined)
        throw new Error('A Vision One key keeps the expiry it was created with: it cannot be changed.');
    if (changes.role !== undefined && !changes.role.name)
        throw new Error('Vision One roles are names (role-name); a role ID does not apply.');
    return {
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.role !== undefined && { role: changes.role.name }),
        ...(changes.active !== undefined && { status: changes.active ? 'enabled' : 'disabled' })
    };
}
/** The one item of the `POST /v3.0/iam/apiKeys` body of a new key (created enabled). */
function wire_toNewApiKey(key) {
    if (key.lifetimeMonths === undefined ||
        !src_settings/* LIFETIME_MONTHS */.Se.includes(key.lifetimeMonths)) {
        throw new Error(`A new Vision One key needs a lifetime of ${src_settings/* LIFETIME_MONTHS */.Se.join(', ')} months (expiry-months), not ${key.lifetimeMonths}.`);
    }
    if (!key.role.name)
        throw new Error('Vision One roles are names (role-name); a role ID does not apply.');
    return {
        name: key.name,
        role: key.role.name,
        monthsToExpiration: key.lifetimeMonths,
        ...(key.description !== '' && { description: key.description }),
        status: 'enabled'
    };
}
/** The items of a 207 answer; undefined when it is not an array of items with a status. */
function batchItemsOf(answer) {
    if (!Array.isArray(answer))
        return undefined;
    const valid = answer.every((item) => wire_isObject(item) && Number.isInteger(item.status));
    return valid ? answer : undefined;
}
/** Whether a 207 item says its part succeeded (200 to 399, as Trend's SDK reads it). */
function itemSucceeded(item) {
    return item.status >= 200 && item.status < 400;
}
/** A created key's token (`body.value`); undefined unless it is a non-empty string. */
function tokenOf(item) {
    const value = wire_isObject(item) && wire_isObject(item.body) ? item.body.value : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
}
/**
 * The IDs a create answer gives for the key it made (`body.id` and the last segment of its
 * `Location` header), each once; more than one is a contradiction.
 */
function createdIdsOf(item) {
    const id = wire_isObject(item.body) ? item.body.id : undefined;
    const headers = Array.isArray(item.headers) ? item.headers : [];
    const location = headers.find((h) => wire_isObject(h) && h.name === 'Location')?.value;
    const match = typeof location === 'string' ? /\/v3\.0\/iam\/apiKeys\/([^/?#]+)$/.exec(location) : null;
    return [...new Set([id, match?.[1]].filter(wire_isKeyId))];
}
/**
 * The token of a created key in an answer's text that does not parse (cut off mid-body): the
 * `value` of a complete `"body": {...}` object, never a header's `value`.
 */
function tokenInText(answer) {
    const body = /"body"\s*:\s*\{((?:[^{}"]|"(?:[^"\\]|\\.)*")*)/.exec(answer);
    const value = body && /"value"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(body[1]);
    if (!value)
        return undefined;
    try {
        return tokenOf({ body: { value: JSON.parse(value[1]) } });
    }
    catch {
        return undefined;
    }
}
/**
 * The server's message in an error body: `{"error": {"code", "message"}}`, or `{code, message}`
 * without the wrapper (some of Trend's 429 answers); also a failed 207 item's `body`.
 */
function wire_errorMessageOf(body) {
    if (!wire_isObject(body))
        return undefined;
    return (wire_isObject(body.error) ? body.error.message : undefined) ?? body.message;
}
/** The keys of one page of the list; undefined when the page has no `items` array. */
function wire_pageItemsOf(page) {
    return wire_isObject(page) && Array.isArray(page.items) ? page.items : undefined;
}
/**
 * The page's `nextLink` (a full URL): undefined when there is no next page, null when the field
 * is there but is not a URL's text.
 */
function nextLinkOf(page) {
    const link = wire_isObject(page) ? page.nextLink : undefined;
    if (link === undefined || link === null || link === '')
        return undefined;
    return typeof link === 'string' ? link : null;
}
/** Whether a connectivity check's answer is `{"status": "available"}`. */
function saysAvailable(answer) {
    return wire_isObject(answer) && answer.status === 'available';
}
/** The TMV1-Filter of an exact name: `name eq '<name>'`, every `'` in it doubled. */
function exactNameFilter(name) {
    return `name eq '${name.replaceAll("'", "''")}'`;
}
/**
 * The ETag as If-Match takes it: the surrounding quotes removed (and a weak `W/` prefix, which
 * Trend does not send); undefined when there is none.
 */
function etagOf(header) {
    const value = (Array.isArray(header) ? header[0] : header)?.trim();
    const tag = value?.replace(/^(?:W\/)?"(.*)"$/, '$1');
    return tag ? tag : undefined;
}

;// CONCATENATED MODULE: ./src/platforms/vision-one/client.ts











const client_KEYS = '/v3.0/iam/apiKeys';
const DELETE = '/v3.0/iam/apiKeys/delete';
const CONNECTIVITY = '/v3.0/healthcheck/connectivity';
/** The first page of the list: the largest page, oldest keys first (new keys join the end). */
const FIRST_PAGE = `${client_KEYS}?top=200&orderBy=createdDateTime%20asc`;
/** The longest TMV1-Filter Vision One takes. */
const MAX_FILTER_LENGTH = 1024;
/** Pages of the list followed at most (200 keys each): a platform that pages on is stopped. */
const client_MAX_PAGES = 1_000;
/** The waits after a new token's 401 (about 10 s in all): a new key takes a moment to work. */
const client_ACTIVATION_WAITS_MS = [1_000, 2_000, 3_000, 4_000];
/**
 * Trend Vision One platform API keys (`/v3.0/iam/apiKeys`), as a {@link KeyPlatform}. `api-url`
 * is the regional origin; the token goes as `Authorization: Bearer`. Vision One cannot say which
 * key a token belongs to, cannot regenerate a token and fixes a key's expiry at creation; its
 * roles are names.
 */
class VisionOneClient extends PlatformClient {
    allPowerfulRole = 'Master Administrator';
    canChangeExpiry = false;
    /** Set once the connectivity check refused a made-up token. */
    connectivityProven = false;
    /** Reads started for the next update of a key ({@link readAhead}); a failed one is undefined. */
    readsAhead = new Map();
    /** Vision One's headers (the token as `Authorization: Bearer`) and errors. */
    wire(connection) {
        return {
            headers: { Authorization: `Bearer ${connection.apiSecretKey}` },
            messageOf: wire_errorMessageOf,
            describeFailure: client_describeFailure,
            malformedHint: 'is api-url the regional Vision One origin (e.g. https://api.eu.xdr.trendmicro.com), or region the right one?'
        };
    }
    /** Vision One does not say which key a token belongs to. */
    getAuthenticatingKey() {
        return Promise.resolve(undefined);
    }
    async getKey(id) {
        return (await this.read(id)).key;
    }
    listKeys() {
        return this.list();
    }
    /**
     * The one key whose name is exactly `name`. Vision One is asked with an exact TMV1-Filter,
     * and its answer is compared with the name again: a platform that matches case-insensitively
     * must not hand over another key. A name a header cannot carry as it is (other than printable
     * ASCII) is looked for in the whole list instead.
     */
    async findKeyByName(name) {
        const filter = exactNameFilter(name);
        if (filter.length > MAX_FILTER_LENGTH) {
            throw new Error(`key-name is too long to look up: its TMV1-Filter would be ${filter.length} characters, and Vision One takes at most ${MAX_FILTER_LENGTH}. Nothing was changed.`);
        }
        const keys = await this.list(/^[\x20-\x7e]*$/.test(filter) ? filter : undefined);
        return (0,key_platform/* atMostOne */.jH)(keys.filter((k) => k.name === name), `API key named "${(0,redaction/* logSafe */.sN)(name)}"`, 'key-name', (k) => k.id);
    }
    /**
     * Changes a key with `If-Match` set to the ETag of a fresh read. A 412 (someone changed the
     * key in between, or a retried PATCH whose first attempt landed) reads the key again: when it
     * already shows every change it is done, otherwise the change is sent once more. The key is
     * read back afterwards (the PATCH answers no body) and must show the change.
     */
    async updateKey(id, changes) {
        const path = client_keyPath(id);
        const body = wire_toApiKeyChanges(changes);
        // A read made ahead is as good as a fresh one: If-Match refuses the PATCH (412) when the key
        // changed since, and the key is read again then.
        const ahead = await this.readsAhead.get(id);
        this.readsAhead.delete(id);
        const read = ahead ?? (await this.read(id));
        if (Object.keys(body).length === 0)
            return read.key;
        let etag = requireEtag(path, read.etag);
        for (let attempt = 1;; attempt++) {
            if (await this.patch(path, etag, body))
                break;
            const fresh = await this.read(id);
            if ((0,key_platform/* showsChanges */.Kt)(fresh.key, changes))
                break;
            if (attempt === 2) {
                throw new http_error/* HttpError */.j$(`PATCH ${path} answered HTTP 412 twice: someone else keeps changing key ${id} between this run's read and its change. Nothing was changed; run again later.`, { method: 'PATCH', path, status: 412 });
            }
            etag = requireEtag(path, fresh.etag);
        }
        // A 2xx proves nothing by itself: the change counts when the key shows it.
        const after = await this.getKey(id);
        if (!(0,key_platform/* showsChanges */.Kt)(after, changes)) {
            throw new http_error/* HttpError */.j$(`PATCH ${path} answered success, but key ${id} does not show the change when read back: it was not made (or was undone at once). Check the key (operation describe) and run again.`, { method: 'PATCH', path, status: 200 });
        }
        return after;
    }
    readAhead(id) {
        this.readsAhead.set(id, this.read(id).catch(() => undefined));
    }
    /**
     * Deletes one key (retried like any call). The 207 item decides: a 404 is a key that does not
     * exist, unless an earlier attempt may have reached the platform: then that attempt deleted it.
     * A success counts when the key can no longer be read.
     */
    async deleteKey(id) {
        const method = 'POST';
        const body = [{ id: checkedId(id) }];
        let retriedAfterSending = false;
        const { status, text } = await this.transport.call(method, DELETE, {
            body,
            decide: (error) => {
                const decision = (0,retry_decisions/* platformRetry */.YD)(error);
                if (decision.retry && error instanceof http_error/* HttpError */.j$ && !error.notSent && !error.rateLimited)
                    retriedAfterSending = true;
                return decision;
            }
        });
        const item = this.onlyItem(method, DELETE, status, (0,api_transport/* parseJson */.qF)(text));
        if (itemSucceeded(item))
            return this.confirmGone(id);
        if (item.status === 404 && retriedAfterSending) {
            core/* info */.pq(`${method} ${DELETE} answered that key ${id} does not exist after a retry: the earlier attempt deleted it`);
            return this.confirmGone(id);
        }
        const failure = itemFailure(method, DELETE, item, `key ${id}`);
        if (item.status !== 404)
            throw failure;
        // "Does not exist" counts only when the key cannot be read either.
        await this.confirmGone(id, `answered that key ${id} does not exist`, 404);
        throw new key_platform/* KeyNotFoundError */.bU(id, failure.message, { cause: failure });
    }
    /**
     * After a delete the platform said it made: the key must be gone. A token rejected right after
     * the delete is the token of the key deleted (nothing else changed in between).
     */
    async confirmGone(id, said = `answered that key ${id} was deleted`, status = 200) {
        try {
            // The API just answered the delete: a 404 here is the key, not api-url (no probe needed).
            await this.transport.call('GET', client_keyPath(id));
        }
        catch (error) {
            if (error instanceof http_error/* HttpError */.j$ && error.status === 404)
                return;
            if (error instanceof http_error/* HttpError */.j$ && error.status === 401) {
                core/* info */.pq(`Key ${id} is deleted: the token used stops working with it (it was that key's token)`);
                return;
            }
            throw error;
        }
        throw new http_error/* HttpError */.j$(`POST ${DELETE} ${said}, but it can still be read: it was not deleted. Check the key (operation describe) and run again.`, { method: 'POST', path: DELETE, status });
    }
    /**
     * Creates one key, waited for at least {@link ISSUING_TIMEOUT_MS} and retried only where the
     * platform certainly did not act. The token is masked the moment it is read; a whole token
     * that arrived before the connection dropped is kept (it is the only copy).
     */
    async createKey(newKey) {
        const method = 'POST';
        const body = [wire_toNewApiKey(newKey)];
        let answer;
        try {
            answer = await this.transport.call(method, client_KEYS, {
                body,
                timeoutMs: Math.max(retry_decisions/* ISSUING_TIMEOUT_MS */.K0, this.request.timeoutMs),
                decide: retry_decisions/* issuingRetry */.lL
            });
        }
        catch (error) {
            const partial = error instanceof http_error/* HttpError */.j$ ? error.partialBody : undefined;
            const secret = partial === undefined ? undefined : tokenInText(partial);
            if (!secret)
                throw error;
            (0,redaction/* protectSecret */.ol)(secret);
            return { secret };
        }
        const parsed = (0,api_transport/* parseJson */.qF)(answer.text);
        // Every token in the answer is masked before anything else reads it.
        for (const item of Array.isArray(parsed) ? parsed : []) {
            const token = tokenOf(item);
            if (token)
                (0,redaction/* protectSecret */.ol)(token);
        }
        if (parsed === undefined) {
            const secret = tokenInText(answer.text);
            if (secret) {
                (0,redaction/* protectSecret */.ol)(secret);
                return { secret };
            }
        }
        const item = this.onlyItem(method, client_KEYS, answer.status, parsed);
        const secret = tokenOf(item);
        if (!itemSucceeded(item)) {
            const failure = itemFailure(method, client_KEYS, item, `key "${(0,redaction/* logSafe */.sN)(newKey.name)}"`);
            if (!secret)
                throw failure;
            // A refusal that carries a token contradicts itself: the key may exist.
            throw new http_error/* HttpError */.j$(`${failure.message} Yet the item carries a token: the platform may have created the key.`, { method, path: client_KEYS, status: answer.status, cause: failure });
        }
        if (!secret) {
            throw new http_error/* HttpError */.j$(`${method} ${client_KEYS} answered HTTP ${answer.status} with item status ${item.status} but without the new key's token. The platform may have created a key whose token this run cannot see.`, { method, path: client_KEYS, status: item.status });
        }
        // The lookup of the key made and, when asked, one try of its token share a round trip.
        const [key, proven] = await Promise.allSettled([
            this.createdKey(newKey.name, createdIdsOf(item), answer.status),
            newKey.proveBeside ? this.tryOnce(secret) : Promise.resolve(false)
        ]);
        if (key.status === 'rejected')
            throw key.reason;
        return {
            secret,
            key: key.value,
            ...(newKey.proveBeside && { proven: proven.status === 'fulfilled' && proven.value })
        };
    }
    /**
     * The key a create made, found by its (unique) name and checked against the IDs the answer
     * gave: an answer that names another key must never make this run rename, delete or report
     * that key. Undefined when the lookup itself failed (the token is still delivered; the caller
     * looks again). A contradiction is an unclear answer: the key made is not known for sure.
     */
    async createdKey(name, ids, status) {
        const unclear = (why) => new http_error/* HttpError */.j$(`POST ${client_KEYS} answered HTTP ${status} with a token, but ${why}: which key holds the token is not known.`, { method: 'POST', path: client_KEYS, status });
        if (ids.length > 1)
            throw unclear(`its answer names several keys (${ids.join(', ')})`);
        let found;
        try {
            found = await this.findKeyByName(name);
        }
        catch (error) {
            core/* warning */.$e(`The new key "${(0,redaction/* logSafe */.sN)(name)}" could not be looked up after its creation (${(0,redaction/* errorText */.kc)(error)}).`);
            return undefined;
        }
        if (!found)
            throw unclear(`no key named "${(0,redaction/* logSafe */.sN)(name)}" exists`);
        if (ids.length === 1 && ids[0] !== found.id)
            throw unclear(`the answer names key ${ids[0]} while the key named "${(0,redaction/* logSafe */.sN)(name)}" is ${found.id}`);
        return found;
    }
    /**
     * Resolves when `secret` authenticates: `GET /v3.0/healthcheck/connectivity` answers
     * `{"status": "available"}`. A 401 is asked again after 1, 2, 3 and 4 s, as a new key takes a
     * moment to become valid. Vision One cannot say which key a token belongs to, so the key is
     * not compared. The check that a made-up token is refused goes beside the first try.
     */
    async verifySecret(secret, _key) {
        const client = this.withSecret(secret);
        let waits = 0;
        let gaveUp = false;
        const activation = (error) => {
            if (!(error instanceof http_error/* HttpError */.j$) || error.status !== 401)
                return { retry: false };
            gaveUp = waits === client_ACTIVATION_WAITS_MS.length;
            return gaveUp ? { retry: false } : { retry: true, afterMs: client_ACTIVATION_WAITS_MS[waits++] };
        };
        try {
            const [proven, madeUpRefused] = await Promise.allSettled([
                // The first signal ends the activation wait: the token is then neither proven nor refused.
                (0,retry/* withRetry */.bD)(() => client.checkConnectivity(), {
                    maxAttempts: client_ACTIVATION_WAITS_MS.length + 1,
                    clock: this.clock,
                    signal: this.cancellation.requested,
                    decide: activation
                }),
                this.checkRefusesMadeUpToken()
            ]);
            if (proven.status === 'rejected')
                throw proven.reason;
            if (madeUpRefused.status === 'rejected')
                throw madeUpRefused.reason;
        }
        catch (error) {
            if (!(error instanceof http_error/* HttpError */.j$) || error.status !== 401)
                throw error;
            // A wait the signal cut short proves nothing either way: the run was cancelled.
            if (!gaveUp)
                this.cancellation.throwIfRequested();
            const said = error.serverMessage ? ` (${error.serverMessage})` : '';
            const seconds = client_ACTIVATION_WAITS_MS.slice(0, waits).reduce((a, b) => a + b, 0) / 1000;
            throw new http_error/* HttpError */.j$(`The new key's token never authenticated: GET ${CONNECTIVITY} answered HTTP 401${said} for ${seconds} s.`, {
                method: 'GET',
                path: CONNECTIVITY,
                status: 401,
                serverMessage: error.serverMessage,
                cause: error
            });
        }
        finally {
            client.dispose();
        }
    }
    /**
     * Whether `secret` authenticates at the first try, a made-up token being refused beside it;
     * false on any failure (a new key not valid yet included: {@link verifySecret} waits for it).
     */
    async tryOnce(secret) {
        const client = this.withSecret(secret);
        try {
            await Promise.all([client.checkConnectivity(), this.checkRefusesMadeUpToken()]);
            return true;
        }
        catch {
            return false;
        }
        finally {
            client.dispose();
        }
    }
    /** Vision One roles are names: there is no role to read by ID. */
    getRole(id) {
        return Promise.reject(new Error(`role-id "${(0,redaction/* logSafe */.sN)(id)}" does not apply on vision-one: roles are names (role-name).`));
    }
    /**
     * The role as a name, without a request: Vision One has no list of roles to look in, and
     * refuses a name it does not know when a key is given it.
     */
    findRoleByName(name) {
        return Promise.resolve({ name });
    }
    listRoles() {
        return Promise.resolve([]);
    }
    /**
     * The connectivity check proves a token only if it refuses one that cannot work (a cache or a
     * gateway in between may answer 200 to anything): asked once per run with a random token.
     */
    async checkRefusesMadeUpToken() {
        if (this.connectivityProven)
            return;
        const madeUp = this.withSecret(`eyJ${(0,external_node_crypto_.randomBytes)(48).toString('base64url')}`);
        try {
            await madeUp.checkConnectivity();
        }
        catch (error) {
            if (error instanceof http_error/* HttpError */.j$ && error.status === 401) {
                this.connectivityProven = true;
                return;
            }
            throw error;
        }
        finally {
            madeUp.dispose();
        }
        throw new http_error/* HttpError */.j$(`GET ${CONNECTIVITY} answered "available" to a made-up token too: it proves nothing about the new token (is a cache or gateway in between?). The new token is taken for unverified.`, { method: 'GET', path: CONNECTIVITY, status: 200 });
    }
    async checkConnectivity() {
        if (!saysAvailable(await this.transport.callJson('GET', CONNECTIVITY))) {
            throw new http_error/* HttpError */.j$(`GET ${CONNECTIVITY} answered HTTP 200 without {"status": "available"}: Vision One says the API is not available.`, { method: 'GET', path: CONNECTIVITY, status: 200 });
        }
    }
    /**
     * One key and its ETag; {@link KeyNotFoundError} when it does not exist. A 404 counts only
     * when the API answers at all (when the connectivity check is not found either, api-url is
     * wrong and that error is thrown).
     */
    async read(id) {
        const path = client_keyPath(id);
        try {
            const { status, headers, text } = await this.transport.call('GET', path);
            return { key: this.expectKey(path, status, (0,api_transport/* parseJson */.qF)(text), id), etag: etagOf(headers.etag) };
        }
        catch (error) {
            if (!(error instanceof http_error/* HttpError */.j$) || error.status !== 404)
                throw error;
            const probe = await this.transport
                .send('GET', CONNECTIVITY)
                .then(() => undefined)
                .catch((e) => e);
            if (probe instanceof http_error/* HttpError */.j$ && probe.status === 404)
                throw probe;
            throw new key_platform/* KeyNotFoundError */.bU(id, error.message, { cause: error });
        }
    }
    /** Sends a change with If-Match: true when it was made, false on a 412. */
    async patch(path, etag, body) {
        // No change starts after the first signal: checked here, after the ETag read, right before
        // the change itself.
        this.cancellation.throwIfRequested();
        try {
            await this.transport.call('PATCH', path, { body, headers: { 'If-Match': etag } });
            return true;
        }
        catch (error) {
            if (error instanceof http_error/* HttpError */.j$ && error.status === 412)
                return false;
            throw error;
        }
    }
    /**
     * Every key of the list, page after page: each `nextLink` must lead to the same list at
     * api-url (the token goes nowhere else), is asked with the same filter, and paging stops with
     * an error at a repeated link, after {@link MAX_PAGES} pages or past {@link MAX_LIST_BYTES} in
     * all.
     */
    async list(filter) {
        const headers = filter === undefined ? undefined : { 'TMV1-Filter': filter };
        const keys = [];
        const seen = new Set();
        let path = FIRST_PAGE;
        let budget = read_capped/* MAX_LIST_BYTES */.Cb;
        for (let page = 1;; page++) {
            const answer = await this.page(path, page, headers, budget);
            budget -= answer.bytes;
            const items = wire_pageItemsOf(answer.json);
            if (!items)
                throw this.transport.malformed('GET', path);
            keys.push(...this.every(path, items));
            const link = nextLinkOf(answer.json);
            if (link === undefined)
                return keys;
            const next = link === null ? undefined : this.samePlace(link);
            if (next === undefined) {
                throw new http_error/* HttpError */.j$(`GET ${client_KEYS} (page ${page}) answered with a nextLink that does not lead to ${client_KEYS} at api-url (${link === null ? 'not a URL' : (0,redaction/* untrusted */.bp)(link, 200)}): the token is sent nowhere else, so listing stopped.`, { method: 'GET', path, status: 200 });
            }
            if (seen.has(next) || page >= client_MAX_PAGES) {
                throw new http_error/* HttpError */.j$(`GET ${client_KEYS} (page ${page}) answered with ${seen.has(next) ? 'a nextLink it gave before' : `a nextLink after ${client_MAX_PAGES} pages`}: the platform keeps paging, so listing stopped.`, { method: 'GET', path, status: 200 });
            }
            seen.add(next);
            path = next;
        }
    }
    /** One page of the list, read within what is left of the list's byte budget. */
    async page(path, page, headers, budget) {
        try {
            const { status, text } = await this.transport.call('GET', path, { headers, maxBytes: budget });
            const json = (0,api_transport/* parseJson */.qF)(text);
            if (json === undefined)
                throw this.transport.malformed('GET', path, status);
            return { json, bytes: Buffer.byteLength(text) };
        }
        catch (error) {
            if (page === 1 || !(error instanceof http_error/* HttpError */.j$) || error.code !== 'EBODYTOOLARGE')
                throw error;
            throw new http_error/* HttpError */.j$(`GET ${client_KEYS} (page ${page}): the list's pages add up to more than ${read_capped/* MAX_LIST_BYTES */.Cb / (1024 * 1024)} MiB, so listing stopped.`, { method: 'GET', path, code: error.code, cause: error });
        }
    }
    /**
     * The path and query of `link` (resolved against the list, should it be relative) when it is
     * the list at api-url; undefined otherwise.
     */
    samePlace(link) {
        const list = new URL(`${this.connection.apiUrl}${client_KEYS}`);
        const url = URL.canParse(link, list.href) ? new URL(link, list) : undefined;
        return url?.origin === list.origin && url.pathname === list.pathname
            ? `${client_KEYS}${url.search}`
            : undefined;
    }
    /** The one item of a 207 answer to a call about one key. */
    onlyItem(method, path, status, answer) {
        const items = batchItemsOf(answer);
        if (!items || items.length !== 1)
            throw this.transport.malformed(method, path, status);
        return items[0];
    }
    /**
     * The key of an answer, which must be the key asked for: a platform (or anything in between)
     * that answers with another key must never make this run act on it.
     */
    expectKey(path, status, answer, id) {
        const key = wire_toKey(answer);
        if (!key)
            throw this.transport.malformed('GET', path, status);
        if (key.id !== id) {
            throw new http_error/* HttpError */.j$(`GET ${path} answered with key ${key.id}, not key ${id}: this run acts only on the key it named, so it stops here. Nothing was changed.`, { method: 'GET', path, status });
        }
        return key;
    }
    /** Every key of a page, or an error when one of them is not what the API documents. */
    every(path, items) {
        const keys = items.map(wire_toKey);
        if (keys.some((k) => k === undefined))
            throw this.transport.malformed('GET', path);
        return keys;
    }
}
/** The ID, checked: a path or a body is never built from anything but a key ID. */
function checkedId(id) {
    if (!wire_isKeyId(id))
        throw new Error(`"${(0,redaction/* logSafe */.sN)(id)}" is not a Vision One key ID (a UUID)`);
    return id;
}
/** `/v3.0/iam/apiKeys/{id}`. */
function client_keyPath(id) {
    return `${client_KEYS}/${checkedId(id)}`;
}
/** The ETag a change needs; without one nothing can be changed safely. */
function requireEtag(path, etag) {
    if (etag !== undefined)
        return etag;
    throw new http_error/* HttpError */.j$(`GET ${path} answered without an ETag header, which a change needs (If-Match). Nothing was changed.`, { method: 'GET', path, status: 200 });
}
/** The error of a failed 207 item: its own status and message. */
function itemFailure(method, path, item, subject) {
    const message = wire_errorMessageOf(item.body);
    const serverMessage = typeof message === 'string' ? (0,redaction/* untrusted */.bp)(message) : undefined;
    const said = serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : '';
    const hint = item.status === 404 ? '' : advice(method, path, item.status);
    return new http_error/* HttpError */.j$(`${method} ${path} answered HTTP 207, and its item for ${subject} failed with HTTP ${item.status}${said}${hint || '.'}`, { method, path, status: item.status, serverMessage });
}
function client_describeFailure(method, path, status, said) {
    const expired = status === 401 && /expired/i.test(said)
        ? ". The token's key has expired; Vision One cannot extend a key: create a new one (operation create, with another key whose role may create keys) and update the secret."
        : undefined;
    return `${method} ${path} answered HTTP ${status}${said}${expired ?? advice(method, path, status)}`;
}
/** What to do about a failure status (empty when there is nothing to add). */
function advice(method, path, status) {
    if (status === 401) {
        return '. The token was rejected: its key may be expired, locked, or replaced by an earlier rotation (a rotation deletes the old key: check which run rotated it last); else check api-secret-key, and that region/api-url is the region the key belongs to.';
    }
    if (status === 403) {
        return ". The key's role lacks the API key right this call needs (view, create, edit or delete API keys).";
    }
    if (status === 404) {
        return (method === 'GET' || method === 'PATCH') && path.startsWith(`${client_KEYS}/`)
            ? '. It does not exist on this Vision One.'
            : '. Nothing answers at this address: check api-url (the regional origin, e.g. https://api.eu.xdr.trendmicro.com) or region.';
    }
    if (status === 429) {
        return ". Vision One's rate limit was reached (requests per endpoint in a rolling 60-second window).";
    }
    return '';
}

;// CONCATENATED MODULE: ./src/platforms/workload-security/wire.ts

/** The largest time a JavaScript Date holds: a larger value is not a date the action can show. */
const workload_security_wire_MAX_DATE_MS = 8.64e15;
function workload_security_wire_time(value) {
    return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= workload_security_wire_MAX_DATE_MS
        ? value
        : undefined;
}
function workload_security_wire_text(value) {
    return typeof value === 'string' ? (0,redaction/* scrubbed */.fG)(value) : undefined;
}
/** A key answer as a {@link Key}; undefined when it lacks what the action relies on. */
function workload_security_wire_toKey(value) {
    if (typeof value !== 'object' || value === null)
        return undefined;
    const raw = value;
    if (!Number.isInteger(raw.ID) || typeof raw.keyName !== 'string')
        return undefined;
    const key = {
        id: String(raw.ID),
        name: (0,redaction/* scrubbed */.fG)(raw.keyName),
        role: Number.isInteger(raw.roleID) && raw.roleID > 0 ? { id: String(raw.roleID) } : {},
        active: typeof raw.active === 'boolean' ? raw.active : true
    };
    const optional = {
        description: workload_security_wire_text(raw.description),
        createdAt: workload_security_wire_time(raw.created),
        lastUsedAt: workload_security_wire_time(raw.lastSignIn),
        expiresAt: workload_security_wire_time(raw.expiryDate),
        failedSignIns: Number.isInteger(raw.unsuccessfulSignInAttempts)
            ? raw.unsuccessfulSignInAttempts
            : undefined
    };
    for (const [field, value] of Object.entries(optional))
        if (value !== undefined)
            Object.assign(key, { [field]: value });
    return key;
}
/** A role answer as a {@link Role}; undefined when it lacks an ID or a name. */
function wire_toRole(value) {
    if (typeof value !== 'object' || value === null)
        return undefined;
    const raw = value;
    if (!Number.isInteger(raw.ID) || typeof raw.name !== 'string')
        return undefined;
    return { id: String(raw.ID), name: (0,redaction/* scrubbed */.fG)(raw.name) };
}
/** The `POST /apikeys/{id}` body of a change. */
function workload_security_wire_toApiKeyChanges(changes) {
    return {
        ...(changes.role?.id !== undefined && { roleID: Number(changes.role.id) }),
        ...(changes.active !== undefined && { active: changes.active }),
        ...(changes.expiresAt !== undefined && { expiryDate: changes.expiresAt })
    };
}
/** The `POST /apikeys` body of a new key. */
function workload_security_wire_toNewApiKey(key) {
    return {
        keyName: key.name,
        description: key.description,
        roleID: Number(key.role.id),
        ...(key.expiresAt !== undefined && { expiryDate: key.expiresAt })
    };
}
/** The secret in an answer's text, even when the rest of the body does not parse. */
function secretKeyOf(text, parsed) {
    let secretKey = parsed?.secretKey;
    if (parsed === undefined) {
        const match = /"secretKey"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text);
        if (match) {
            try {
                secretKey = JSON.parse(match[1]);
            }
            catch {
                secretKey = undefined;
            }
        }
    }
    return typeof secretKey === 'string' && secretKey !== '' ? secretKey : undefined;
}
/** The search filter of an exact match on one string field (wildcards off). */
function wire_exactNameFilter(fieldName, value) {
    return {
        maxItems: 100,
        searchCriteria: [{ fieldName, stringTest: 'equal', stringValue: value, stringWildcards: false }]
    };
}
/** The list in an answer's `field` (`apiKeys`, `roles`); empty when absent. */
function listOf(answer, field) {
    const list = answer?.[field];
    return Array.isArray(list) ? list : [];
}

;// CONCATENATED MODULE: ./src/platforms/workload-security/client.ts









/**
 * The Workload Security / Deep Security Manager / Server & Workload Protection `/apikeys` and
 * `/roles` API, as a {@link KeyPlatform}.
 */
class WorkloadSecurityClient extends PlatformClient {
    allPowerfulRole = 'Full Access';
    canChangeExpiry = true;
    /** The secret as `api-secret-key` (or Cloud One's `ApiKey`), and the manager's errors. */
    wire(connection) {
        return {
            headers: {
                'api-version': connection.apiVersion,
                ...(connection.authScheme === 'cloud-one'
                    ? { Authorization: `ApiKey ${connection.apiSecretKey}` }
                    : { 'api-secret-key': connection.apiSecretKey })
            },
            messageOf: (body) => body?.message,
            describeFailure: workload_security_client_describeFailure,
            malformedHint: "is api-url the manager's API base URL (ending in /api)?"
        };
    }
    async getAuthenticatingKey() {
        return this.expectKey('GET', '/apikeys/current', await this.json('GET', '/apikeys/current'));
    }
    async getKey(id) {
        const path = workload_security_client_keyPath(id);
        try {
            return this.expectKey('GET', path, await this.json('GET', path), id);
        }
        catch (error) {
            if (await this.isMissing(error))
                throw new key_platform/* KeyNotFoundError */.bU(id, errorMessage(error), { cause: error });
            throw error;
        }
    }
    async listKeys() {
        const answer = await this.json('GET', '/apikeys', { maxBytes: read_capped/* MAX_LIST_BYTES */.Cb });
        return this.every('GET', '/apikeys', listOf(answer, 'apiKeys'), workload_security_wire_toKey);
    }
    /**
     * The one key whose name is exactly `name`. The manager is asked without wildcards, and its
     * answer is compared with the name again: a manager that matches case-insensitively must not
     * hand over another key.
     */
    async findKeyByName(name) {
        const path = '/apikeys/search';
        const answer = await this.json('POST', path, { body: wire_exactNameFilter('keyName', name) });
        const keys = this.every('POST', path, listOf(answer, 'apiKeys'), workload_security_wire_toKey);
        return (0,key_platform/* atMostOne */.jH)(keys.filter((k) => k.name === name), `API key named "${(0,redaction/* logSafe */.sN)(name)}"`, 'key-name', (k) => k.id);
    }
    async updateKey(id, changes) {
        const path = workload_security_client_keyPath(id);
        const answer = await this.json('POST', path, { body: workload_security_wire_toApiKeyChanges(changes) });
        const key = this.expectKey('POST', path, answer, id);
        // A 200 counts when the key it answers with shows the change.
        if (!(0,key_platform/* showsChanges */.Kt)(key, changes)) {
            throw new http_error/* HttpError */.j$(`POST ${path} answered success, but key ${id} in its answer does not show the change: whether the manager made it is not known. Check the key (operation describe) and run again.`, { method: 'POST', path, status: 200 });
        }
        return key;
    }
    /** Deletes a key; a success counts when the key can no longer be read. */
    async deleteKey(id) {
        await this.transport.call('DELETE', workload_security_client_keyPath(id));
        try {
            // The manager just answered the delete: a 404 here is the key, not api-url.
            await this.transport.call('GET', workload_security_client_keyPath(id));
        }
        catch (error) {
            if (error instanceof http_error/* HttpError */.j$ && error.status === 404)
                return;
            // The key deleted was the one authenticating: its secret stops working with it.
            if (error instanceof http_error/* HttpError */.j$ && error.status === 401)
                return;
            throw error;
        }
        throw new http_error/* HttpError */.j$(`DELETE ${workload_security_client_keyPath(id)} answered success, but key ${id} can still be read: it was not deleted. Check the key (operation describe) and run again.`, { method: 'DELETE', path: workload_security_client_keyPath(id), status: 200 });
    }
    /**
     * The authenticating key's secret is regenerated through `/apikeys/current/secretkey`, which
     * needs no API key rights; any other key's through `/apikeys/{id}/secretkey`.
     */
    regenerateSecret(key, authenticating) {
        const target = authenticating ? '/apikeys/current' : workload_security_client_keyPath(key.id);
        return this.issue('POST', `${target}/secretkey`);
    }
    createKey(key) {
        return this.issue('POST', '/apikeys', workload_security_wire_toNewApiKey(key));
    }
    async verifySecret(secret, key) {
        const client = this.withSecret(secret);
        try {
            const authenticated = await client.getAuthenticatingKey();
            if (authenticated.id !== key.id) {
                throw new Error(`the new secret authenticates as key ${authenticated.id}, not key ${key.id}`);
            }
        }
        finally {
            client.dispose();
        }
    }
    async getRole(id) {
        const path = rolePath(id);
        let answer;
        try {
            answer = await this.json('GET', path);
        }
        catch (error) {
            // A missing role keeps its own error; a wrong api-url gets the probe's.
            await this.isMissing(error);
            throw error;
        }
        const role = wire_toRole(answer);
        if (!role)
            throw this.transport.malformed('GET', path);
        return role;
    }
    async listRoles() {
        const answer = await this.json('GET', '/roles', { maxBytes: read_capped/* MAX_LIST_BYTES */.Cb });
        return this.every('GET', '/roles', listOf(answer, 'roles'), wire_toRole);
    }
    async findRoleByName(name) {
        const path = '/roles/search';
        const answer = await this.json('POST', path, { body: wire_exactNameFilter('name', name) });
        const roles = this.every('POST', path, listOf(answer, 'roles'), wire_toRole);
        return (0,key_platform/* atMostOne */.jH)(roles.filter((r) => r.name === name), `role named "${(0,redaction/* logSafe */.sN)(name)}"`, 'role-name', (r) => r.id ?? '');
    }
    /**
     * A call that issues a secret, waited for at least {@link ISSUING_TIMEOUT_MS} and retried only
     * where the manager certainly did not act. The secret is masked before this returns; any
     * non-empty `secretKey` in a 2xx answer is kept.
     */
    async issue(method, path, body) {
        let answer;
        try {
            answer = await this.transport.call(method, path, {
                body,
                timeoutMs: Math.max(retry_decisions/* ISSUING_TIMEOUT_MS */.K0, this.request.timeoutMs),
                decide: retry_decisions/* issuingRetry */.lL
            });
        }
        catch (error) {
            // A whole secretKey that arrived before the connection dropped is kept: the manager
            // issued it, and it is the only copy there is.
            const partial = error instanceof http_error/* HttpError */.j$ ? error.partialBody : undefined;
            const secret = partial === undefined ? undefined : secretKeyOf(partial, undefined);
            if (!secret)
                throw error;
            (0,redaction/* protectSecret */.ol)(secret);
            return { secret };
        }
        const { status, text } = answer;
        const parsed = (0,api_transport/* parseJson */.qF)(text);
        const secret = secretKeyOf(text, parsed);
        if (!secret) {
            throw new http_error/* HttpError */.j$(`${method} ${path} answered HTTP ${status} without a new secretKey. The manager may have` +
                ' issued a new secret that this run cannot see.', { method, path, status });
        }
        (0,redaction/* protectSecret */.ol)(secret);
        return { secret, key: workload_security_wire_toKey(parsed) };
    }
    json(method, path, options = {}) {
        return this.transport.callJson(method, path, options);
    }
    /**
     * True when `error` says the key or role does not exist: a 404 counts only when the API
     * answers at all (when `/apikeys/current` is not found either, api-url is wrong).
     */
    async isMissing(error) {
        if (!(error instanceof http_error/* HttpError */.j$) || error.status !== 404)
            return false;
        const probe = await this.transport
            .send('GET', '/apikeys/current')
            .then(() => undefined)
            .catch((e) => e);
        if (probe instanceof http_error/* HttpError */.j$ && probe.status === 404)
            throw probe;
        return true;
    }
    /**
     * The key of an answer. With `id`, it must be that key: a manager (or anything in between)
     * that answers with another key must never make this run act on it.
     */
    expectKey(method, path, answer, id) {
        const key = workload_security_wire_toKey(answer);
        if (!key)
            throw this.transport.malformed(method, path);
        if (id !== undefined && key.id !== id) {
            throw new http_error/* HttpError */.j$(`${method} ${path} answered with key ${key.id}, not key ${id}: this run acts only on the key it named, so it stops here.` +
                (method === 'GET'
                    ? ' Nothing was changed.'
                    : ` Whether the manager changed key ${id} is not known.`), { method, path, status: 200 });
        }
        return key;
    }
    /** Every item mapped, or an error when one of them is not what the API documents. */
    every(method, path, items, map) {
        const mapped = items.map(map);
        if (mapped.some((m) => m === undefined))
            throw this.transport.malformed(method, path);
        return mapped;
    }
}
/** `/apikeys/{id}`: the ID is digits (inputs.ts checks it; a path is never built from other text). */
function workload_security_client_keyPath(id) {
    if (!/^\d+$/.test(id))
        throw new Error(`"${(0,redaction/* logSafe */.sN)(id)}" is not a Workload Security key ID`);
    return `/apikeys/${id}`;
}
function rolePath(id) {
    if (!/^\d+$/.test(id))
        throw new Error(`"${(0,redaction/* logSafe */.sN)(id)}" is not a Workload Security role ID`);
    return `/roles/${id}`;
}
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}
function workload_security_client_describeFailure(method, path, status, said) {
    const base = `${method} ${path} answered HTTP ${status}${said}`;
    if (status === 401 && /expired/i.test(said)) {
        return `${base}. The key of the api-secret-key has expired: give it a later expiry with another admin key (operation rotate with expiry-days, or the console), or create a new key, and update the secret.`;
    }
    if (status === 401) {
        return `${base}. The api-secret-key was rejected: its key may be expired, locked, or replaced by an earlier rotation (a rotation into another secret leaves this one stale: check which run rotated the key last); else check auth-scheme (api-secret-key for legacy and on-premises keys, cloud-one for Cloud One keys) and api-url/region.`;
    }
    // A locked key is refused with 403 too: its role is not the cause then.
    if (status === 403 && /\blocked\b/i.test(said)) {
        return `${base}. The key of the api-secret-key is locked: unlock it with another admin key (operation unlock, or the console), or use another key.`;
    }
    if (status === 403) {
        return `${base}. The api-secret-key was rejected, or its role lacks the API key right this call needs (${(0,version/* docLink */.nn)('docs/setup.md')} lists the rights of each operation).`;
    }
    if (status === 404) {
        return /^\/(apikeys|roles)\/\d+$/.test(path)
            ? `${base}. It does not exist on this manager.`
            : `${base}. Nothing answers at this address: check api-url (the manager's API base URL, ending in /api) or region.`;
    }
    if (status === 429)
        return `${base}. The manager's API rate limit was reached.`;
    return base;
}

;// CONCATENATED MODULE: ./src/platforms/create-platform.ts



/** The client of the key platform the settings name. */
function createPlatform(settings, clock, cancellation) {
    switch (settings.platform) {
        case 'workload-security':
            return new WorkloadSecurityClient(settings.connection, settings.request, clock, cancellation);
        case 'vision-one':
            return new VisionOneClient(settings.connection, settings.request, clock, cancellation);
        case 'cloud-one':
            return new CloudOneClient(settings.connection, settings.request, clock, cancellation);
    }
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/report.ts










/*
 * GitHub's limits hold for any number of keys: a job's outputs together at most 1 MB (so a job
 * that forwards them all stays inside), a job summary at most 1 MiB, a matrix at most 256
 * entries. What does not fit is cut, most urgent first, with a warning; `findings-file` holds
 * every finding.
 */
const OUTPUTS_LIMIT_BYTES = 1_000_000;
const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** Left for the rest of the summary after the audit table: what changed, totals, the failure. */
const SUMMARY_TAIL_BYTES = 64 * 1024;
const MATRIX_LIMIT = 256;
/** What each output costs in the output file beside its value (name, delimiters). */
const OUTPUT_OVERHEAD_BYTES = 128;
/** Where a token that can write the secret comes from, for the replay commands. */
const WRITER_TOKEN_SOURCE = "WRITER_TOKEN: a token that can write the secret, such as this workflow's github-token (never its GITHUB_TOKEN); " +
    'with a GitHub App token, mint one in a one-off workflow with actions/create-github-app-token, or use `gh auth token` of an organization admin';
/**
 * The failure a run reports for `error`: the state (the error's own, else what the result
 * says), and the recovery (the error's own, else the one that follows from the state: re-run
 * when nothing changed, replay the sealed copies where a new secret is missing).
 */
function failureOf(error, result) {
    const message = (0,redaction/* errorText */.kc)(error);
    const state = (error instanceof src_result/* RunFailure */.a && error.state) || result?.state || 'unchanged';
    const recovery = error instanceof src_result/* RunFailure */.a && error.recovery.length > 0
        ? error.recovery
        : defaultRecovery(state, result, error);
    // First: a probe left behind stops the next run that writes the secret there.
    const probes = (result?.leftProbes ?? []).map(({ name, label }) => ({
        kind: 'delete-secret',
        name,
        label,
        why: 'this run wrote it as its lease on the destination and did not see it removed; until it is deleted (or 10 minutes have passed) a run that writes the secret there stops before it changes anything.'
    }));
    return { state, message, recovery: [...probes, ...recovery] };
}
/**
 * Whether the cause of a failure may pass by itself (no answer, a 5xx, a rate limit, a
 * cancellation), so that the same run, started again, may succeed. A refusal (4xx) or a check
 * of this action's fails again until someone fixes its cause.
 */
function passing(error) {
    for (let e = error; e instanceof Error; e = e.cause) {
        if (e instanceof AggregateError)
            return e.errors.length > 0 && e.errors.every(passing);
        if (e instanceof src_cancellation/* CancelledError */.cc)
            return true;
        if (e instanceof http_error/* HttpError */.j$) {
            // An answer cut off or never sent (but a TLS mismatch, which is set-up) may pass.
            const network = (e.unclear || e.notSent) && !http_error/* TLS_CODE */._b.test(e.code ?? '');
            return network || e.rateLimited || e.status === 408;
        }
    }
    return false;
}
function defaultRecovery(state, result, error) {
    if (!result) {
        // The inputs (or the job's environment) were refused before anything was read.
        return [
            {
                kind: 'manual',
                text: 'Fix the inputs (or the environment) as the message says, then run again: nothing was changed.'
            }
        ];
    }
    if (state === 'unchanged') {
        return [
            passing(error)
                ? { kind: 'rerun', why: 'nothing was changed, and the cause above may have passed' }
                : { kind: 'manual', text: 'Fix the cause above, then run again: nothing was changed.' }
        ];
    }
    const missing = (result.destinations ?? []).filter((d) => d.status !== 'planned' && !(0,github_holders/* isStored */.m)(d));
    if (missing.length > 0 && result.replays?.length && !result.replayVoid)
        return [{ kind: 'replay', labels: missing.map((d) => d.label) }];
    if (state === 'unknown' && ['lock', 'unlock', 'set-role'].includes(result.operation)) {
        return [
            {
                kind: 'rerun',
                why: 'it reads the key again and changes it only when it is not as asked'
            }
        ];
    }
    return [];
}
/** One step of a recovery, with the fixed opening that says what kind of step it is. */
function stepText(step) {
    switch (step.kind) {
        case 'replay':
            return (`Replay the sealed copies for: ${step.labels.map(redaction/* logSafe */.sN).join('; ')}. ` +
                'Each has a one-line command under "Replay for <destination>" in this step\'s log (group Store and verify) and in the job summary; ' +
                `run it with ${WRITER_TOKEN_SOURCE}. ` +
                'Only until a later run issues a newer secret for this key: its copies are void then, and would replace a working secret.');
        case 'delete-key':
            return `Delete key ${(0,redaction/* logSafe */.sN)(step.id)}: ${step.why} (operation delete, key-id ${(0,redaction/* logSafe */.sN)(step.id)}).`;
        case 'delete-secret':
            return `Delete the secret ${step.name} of ${(0,redaction/* logSafe */.sN)(step.label)}: ${step.why}`;
        case 'rerun':
            return `Re-run this workflow: re-running is safe (${step.why}).`;
        case 'manual':
            return step.text;
    }
}
/** The `::error::` text: the state word first, then what happened, then the recovery. */
function failureText({ state, message, recovery }) {
    const steps = recovery.map((step, i) => `${i + 1}. ${stepText(step)}`);
    return [
        `${state}: ${message}`,
        ...(steps.length ? ['To recover, in order:', ...steps] : [])
    ].join('\n');
}
/**
 * The `changed` output, in step with the state word: `unknown` when a request that may have
 * acted got no clear answer, `false` when a failed run left things as they were (a key it made
 * and removed again included).
 */
function changedOf(result, failure) {
    const state = failure?.state ?? result.state;
    if (state === 'unknown')
        return 'unknown';
    return state === 'unchanged' ? false : result.changed;
}
/** The `result` output: one JSON object describing the run, never a secret. */
function resultJson(result, failure) {
    const { key } = result;
    const json = JSON.stringify({
        operation: result.operation,
        dryRun: result.dryRun,
        state: failure?.state ?? result.state,
        changed: changedOf(result, failure),
        ...(key && {
            key: {
                id: key.id,
                name: key.name,
                roleId: key.role.id,
                roleName: roleNameOf(result),
                active: key.active
            }
        }),
        ...(result.previousKey && {
            previousKey: { id: result.previousKey.id, name: result.previousKey.name }
        }),
        ...(result.role && { role: { id: result.role.id, name: result.role.name } }),
        changes: result.changes,
        ...(result.secretName !== undefined && {
            secretName: result.secretName,
            secretsUpdated: result.secretsUpdated,
            verified: result.verified ?? false,
            destinations: (result.destinations ?? []).map(({ label, ...rest }) => ({
                destination: label,
                ...rest
            }))
        }),
        ...(result.audit && {
            keysAudited: result.audit.keys.length,
            flagged: result.audit.flaggedKeyIds.length
        }),
        timings: result.timings,
        ...(failure && {
            error: failure.message,
            recovery: failure.recovery.map(stepText)
        })
    });
    return (0,redaction/* redact */.E$)(json);
}
/** Sets every output of the run. */
function setOutputs(result, failure) {
    const outputs = new Map();
    const { key } = result;
    if (key) {
        outputs.set('key-id', key.id);
        outputs.set('key-name', key.name);
        outputs.set('role-id', key.role.id ?? '');
        outputs.set('role-name', roleNameOf(result) ?? '');
        outputs.set('active', String(key.active));
    }
    outputs.set('changed', String(changedOf(result, failure)));
    if (result.secretName !== undefined)
        outputs.set('secrets-updated', String(result.secretsUpdated));
    if (result.previousKey)
        outputs.set('previous-key-id', result.previousKey.id);
    if (result.expirySet !== undefined)
        outputs.set('expiry-date', (0,dates/* isoDate */._$)(result.expirySet));
    if (result.operation === 'describe' && key) {
        outputs.set('created', (0,dates/* isoDate */._$)(key.createdAt));
        outputs.set('last-sign-in', (0,dates/* isoDate */._$)(key.lastUsedAt));
        outputs.set('expiry-date', (0,dates/* isoDate */._$)(key.expiresAt));
    }
    outputs.set('result', resultJson(result, failure));
    if (result.audit)
        setAuditOutputs(result.audit, outputs);
    for (const [name, value] of outputs)
        core/* setOutput */.uH(name, value);
}
/**
 * An audit's outputs within GitHub's limits: every finding in a file (`findings-file`), and
 * as many as fit in `findings` and `flagged-keys`, most urgent first; `flagged-count` is the
 * true count.
 */
function setAuditOutputs(audit, outputs) {
    const all = audit.keys.flatMap(({ key, findings }) => findings.map((f) => ({
        'key-id': key.id,
        'key-name': key.name,
        kind: f.kind,
        detail: f.detail
    })));
    const file = (0,external_node_path_namespaceObject.join)(process.env.RUNNER_TEMP || (0,external_node_os_namespaceObject.tmpdir)(), 'workload-security-api-key-findings.json');
    (0,external_node_fs_namespaceObject.writeFileSync)(file, (0,redaction/* redact */.E$)(JSON.stringify(all, null, 1)));
    const flagged = audit.flaggedKeyIds.slice(0, MATRIX_LIMIT);
    outputs.set('findings-file', file);
    outputs.set('flagged-count', String(audit.flaggedKeyIds.length));
    outputs.set('flagged-keys', JSON.stringify(flagged.map((id) => ({ 'key-id': id }))));
    // `findings` takes what the other outputs leave.
    let budget = OUTPUTS_LIMIT_BYTES - OUTPUT_OVERHEAD_BYTES * (outputs.size + 1);
    for (const [name, value] of outputs)
        budget -= Buffer.byteLength(name) + Buffer.byteLength(value);
    const shown = [];
    let size = 2;
    for (const finding of all) {
        const item = (0,redaction/* redact */.E$)(JSON.stringify(finding));
        size += Buffer.byteLength(item) + 1;
        if (size > budget)
            break;
        shown.push(item);
    }
    outputs.set('findings', `[${shown.join(',')}]`);
    const cut = [
        ...(shown.length < all.length
            ? [`findings holds ${shown.length} of ${all.length} findings`]
            : []),
        ...(flagged.length < audit.flaggedKeyIds.length
            ? [
                `flagged-keys holds the ${flagged.length} most urgent of ${audit.flaggedKeyIds.length} flagged keys`
            ]
            : [])
    ];
    if (cut.length > 0) {
        core/* warning */.$e(`${cut.join('; ')} (GitHub allows 1 MB of outputs per job and ${MATRIX_LIMIT} jobs per matrix); flagged-count is the true count, and findings-file (${file}) holds every finding: upload it as an artifact.`);
    }
}
const ESCAPES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;'
};
/**
 * Escapes text for the summary, Markdown and HTML alike: names and messages come from servers,
 * and must not become links, images, tables or tags. (Secrets are redacted from the whole
 * summary once, when it is written.)
 */
function summaryText(text) {
    return ((0,redaction/* bidiVisible */.h5)(text)
        // One pass, so that no entity is escaped again (an apostrophe reads as one).
        .replace(/[&<>"'\\`*_{}[\]()#!|~]/g, (c) => ESCAPES[c] ?? `&#${c.charCodeAt(0)};`)
        // No autolinks either: a bare address must not become a link.
        .replace(/:\/\//g, '&#58;//')
        .replace(/\b(www)\./gi, '$1&#46;')
        .replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' '));
}
/**
 * A Markdown paragraph of the summary. The blank lines matter: Markdown right after an HTML
 * block (a table) would otherwise stay raw text.
 */
function paragraph(markdown) {
    core/* summary */.z.addEOL().addRaw(markdown, true).addEOL();
}
/** A table cell: @actions/core drops the closing tag of an empty one. */
function cellText(text) {
    return text === '' ? '-' : text;
}
/** The name of the key's role after the operation, when it is known. */
function roleNameOf({ key, role }) {
    return role?.name ?? key?.role.name;
}
function keyRows(result, key, operation) {
    const name = roleNameOf(result);
    const rows = [
        ['Key ID', key.id],
        ['Name', key.name],
        ['Role', [key.role.id, name === undefined ? undefined : `"${name}"`].filter(Boolean).join(' ')],
        ['Active', String(key.active)]
    ];
    if (operation === 'describe') {
        rows.push(['Created', (0,dates/* isoDate */._$)(key.createdAt)], ['Last sign-in', (0,dates/* isoDate */._$)(key.lastUsedAt)]);
        rows.push(['Expiry date', (0,dates/* isoDate */._$)(key.expiresAt)]);
    }
    return rows;
}
/** Writes the job summary: what was asked, the key, what changed, and where the secret went. */
async function writeSummary(operation, result, failure) {
    const family = result?.platform === 'vision-one'
        ? 'Vision One'
        : result?.platform === 'cloud-one'
            ? 'Cloud One'
            : 'Workload Security';
    // A failed run's first line starts with its state (a green run's state is in the table).
    const state = failure ? `${failure.state}: ` : '';
    const summary = core/* summary */.z.addHeading(`${state}${family} API key: ${operation}${result?.dryRun ? ' (dry run)' : ''}`, 2);
    if (failure)
        writeFailure(failure);
    if (result?.dryRun)
        paragraph('**Dry run:** nothing was changed anywhere.');
    if (result?.key) {
        const rows = keyRows(result, result.key, result.operation);
        rows.push(['Changed', String(changedOf(result, failure))]);
        if (result.expirySet !== undefined)
            rows.push(['Expiry set to', (0,dates/* isoDate */._$)(result.expirySet)]);
        if (result.secretName)
            rows.push(['Secret', result.secretName]);
        if (result.verified !== undefined)
            rows.push(['Verified', String(result.verified)]);
        summary.addTable([
            [
                { data: 'Field', header: true },
                { data: 'Value', header: true }
            ],
            ...rows.map(([field, value]) => [field, cellText(summaryText(value))])
        ]);
    }
    if (result?.previousKey) {
        const pair = [result.key, result.previousKey];
        summary.addTable([
            [
                result.previousDeleted === undefined ? 'Key of the pair' : 'Key',
                'Name',
                'Expiry',
                'Destinations hold'
            ].map((data) => ({
                data,
                header: true
            })),
            ...pair.map((k, i) => [
                k.id,
                summaryText(k.name),
                (0,dates/* isoDate */._$)(k.expiresAt) || 'none',
                i === 0
                    ? result.secretsUpdated
                        ? 'this key (new secret)'
                        : 'not yet'
                    : result.previousDeleted === undefined
                        ? 'no longer (still valid until its expiry)'
                        : result.previousDeleted
                            ? 'no longer (replaced and deleted)'
                            : 'where the new one is not stored (still valid)'
            ])
        ]);
    }
    if (result?.audit)
        writeAuditTable(result);
    if (result) {
        const unclear = result.unclear ?? result.underWay;
        paragraph(`**What changed:** ${result.changes.length ? summaryText(result.changes.join('; ')) : unclear ? 'nothing certain' : 'nothing'}` +
            (unclear ? `; **unknown:** ${summaryText(unclear)} may have happened` : ''));
    }
    if (result?.destinations?.length) {
        summary.addTable([
            [
                { data: 'Destination', header: true },
                { data: 'Result', header: true }
            ],
            ...result.destinations.map((d) => [
                summaryText(d.label),
                d.status === 'skipped' ? 'not sent' : d.status
            ])
        ]);
    }
    if (result?.replays?.length)
        writeReplays(result.replays, result.replayVoid === true);
    const timings = Object.entries(result?.timings ?? {});
    if (timings.length)
        paragraph(`**Durations:** ${timings.map(([p, ms]) => `${p} ${(0,dates/* durationText */.S5)(ms)}`).join(', ')}`);
    // One redaction over the whole summary, escapes included (redaction decodes them).
    const text = (0,redaction/* redact */.E$)(summary.stringify());
    await summary.emptyBuffer().addRaw(text).write();
}
/** The failure, first: its state and message, then the recovery as an ordered list. */
function writeFailure(failure) {
    // A message of several lines (a preflight's list of problems) keeps them: a paragraph each,
    // and a run of `- ` lines one list.
    const [first = '', ...rest] = failure.message
        .split(/[\r\n\u2028\u2029]+/)
        .map((line) => line.trim())
        .filter(Boolean);
    paragraph(`**${failure.state}:** ${summaryText(first)}`);
    let items = [];
    const flush = () => {
        if (items.length > 0)
            core/* summary */.z.addList(items.map(summaryText));
        items = [];
    };
    for (const line of rest) {
        if (line.startsWith('- '))
            items.push(line.slice(2));
        else {
            flush();
            paragraph(summaryText(line));
        }
    }
    flush();
    if (failure.recovery.length === 0)
        return;
    paragraph('**To recover, in order:**');
    core/* summary */.z.addList(failure.recovery.map((step) => summaryText(stepText(step))), true);
}
/**
 * The replay block (sealed values only: safe to show), collapsed: the same commands as in the
 * log, for a reader who has only the summary. Void copies are said to be void.
 */
function writeReplays(replays, void_) {
    const title = void_
        ? 'Sealed copies of the new secret: void (their key was deleted; do not replay them)'
        : 'Sealed copies of the new secret and the one-line command that stores each';
    // Rendered as plain text (copied, it is the command as printed), never as a link.
    const pre = replays
        .join('\n')
        .replace(/[&<>]/g, (c) => ESCAPES[c])
        .replace(/:\/\//g, '&#58;//');
    core/* summary */.z.addRaw(`<details><summary>${title}</summary>\n\n<pre>${pre}</pre>\n</details>`, true);
}
/** An HTML table row; every cell closed, even an empty one. */
function tableRow(cells, tag = 'td') {
    return `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
}
/**
 * The audit table, one row per key, most urgent first, within the summary's 1 MiB: rows that
 * do not fit are counted, not shown (the totals count every key).
 */
function writeAuditTable(result) {
    const { audit } = result;
    if (!audit)
        return;
    const date = (ms) => ms === undefined ? 'never' : `${(0,dates/* isoDate */._$)(ms).slice(0, 10)} (${(0,dates/* relative */.V8)(ms, audit.at)})`;
    let room = SUMMARY_LIMIT_BYTES - SUMMARY_TAIL_BYTES - Buffer.byteLength(core/* summary */.z.stringify());
    const rows = [
        tableRow(['ID', 'Name', 'Role', 'Active', 'Last sign-in', 'Expiry', 'Findings'], 'th')
    ];
    let shown = 0;
    for (const row of audit.keys) {
        const html = tableRow([
            summaryText(row.key.id),
            cellText(summaryText(row.key.name) + (row.authenticating ? ' (this action)' : '')),
            row.role
                ? summaryText(`${row.role.id ?? ''} ${row.role.name}`.trim())
                : cellText(summaryText(row.key.role.id ?? '')),
            String(row.key.active),
            date(row.key.lastUsedAt),
            row.key.expiresAt === undefined ? 'none' : date(row.key.expiresAt),
            cellText((row.flagged ? '<b>flagged</b>: ' : '') + row.findings.map((f) => f.kind).join(', '))
        ]);
        room -= Buffer.byteLength(html);
        if (room < 0)
            break;
        rows.push(html);
        shown++;
    }
    core/* summary */.z.addRaw(`<table>${rows.join('')}</table>`).addEOL();
    if (shown < audit.keys.length) {
        paragraph(`**${audit.keys.length - shown} more key(s) not shown:** a job summary holds at most 1 MiB. The rows above are the most urgent; the totals count every key, and the findings-file output holds every finding.`);
    }
    const totals = new Map();
    for (const row of audit.keys)
        for (const f of row.findings)
            totals.set(f.kind, (totals.get(f.kind) ?? 0) + 1);
    if (audit.keysNeverExpire)
        paragraph("**Expiry:** keys of this platform never expire: rotation is the only limit on a secret's life.");
    paragraph(`**Totals:** ${audit.keys.length} key(s), ${audit.flaggedKeyIds.length} flagged` +
        [...totals].map(([kind, n]) => `; ${kind}: ${n}`).join(''));
}

;// CONCATENATED MODULE: ./src/main.ts














/** What a run cut short by a cancellation reports: what changed, what may have, who holds what. */
function cancelledText(signal, result) {
    const what = result?.underWay ?? result?.unclear;
    const changed = result?.changed
        ? ` What changed before it stopped: ${result.changes.join('; ')}.`
        : what
            ? ' Nothing else had changed.'
            : ' Nothing had changed.';
    const unclear = what ? ` The outcome of ${what} is unknown: it may have happened.` : '';
    const holders = result?.destinations && !result.dryRun ? ` ${(0,github_holders/* holdersReport */.C)(result.destinations)}` : '';
    return `The run was cancelled (${signal}) before it finished.${changed}${unclear}${holders}`;
}
/** Runs the operation the settings name. */
async function dispatch(settings, context) {
    switch (settings.operation) {
        case 'describe':
            return describe(settings, context);
        case 'set-role':
            return setRole(settings, context);
        case 'lock':
        case 'unlock':
            return setActive(settings, context);
        case 'delete':
            return deleteKey(settings, context);
        case 'audit':
            return audit(settings, context);
        case 'rotate':
        case 'create': {
            // Loaded only when a secret is stored: the GitHub client and libsodium cost start-up time.
            const { rotate, create, GitHubSecretsClient } = await Promise.all(/* import() */[__nccwpck_require__.e(157), __nccwpck_require__.e(713)]).then(__nccwpck_require__.bind(__nccwpck_require__, 713));
            const github = new GitHubSecretsClient({
                token: settings.store.githubToken,
                baseUrl: settings.store.githubApiUrl,
                request: settings.request,
                clock: context.clock,
                cancellation: context.cancellation,
                writesPerMinute: settings.store.writesPerMinute
            });
            const storeContext = { ...context, github };
            try {
                return await (settings.operation === 'rotate'
                    ? rotate(settings, storeContext)
                    : create(settings, storeContext));
            }
            finally {
                github.dispose();
            }
        }
    }
}
/**
 * Adds the name of the key's role for the outputs and the summary, where the key's answer named
 * only its ID (workload-security), from the role the operation read (never a request now: the
 * run may have revoked the secret it would carry).
 */
function nameRole(result) {
    const { key, role } = result;
    if (!key || key.role.name !== undefined || key.role.id === undefined)
        return;
    if (role?.id === key.role.id)
        result.key = { ...key, role: { ...key.role, name: role.name } };
}
/**
 * `work`, or once the cancellation turned urgent and {@link URGENT_REPORT_MS} passed, a
 * {@link CancelledError}: the run then reports what it knows, whatever `work` still waits for.
 */
function untilUrgent(work, cancellation) {
    let timer;
    const urgent = new Promise((_resolve, reject) => {
        const expire = () => {
            timer = setTimeout(() => reject(new src_cancellation/* CancelledError */.cc(cancellation.signal)), src_cancellation/* URGENT_REPORT_MS */.mQ);
        };
        if (cancellation.urgent.aborted)
            expire();
        else
            cancellation.urgent.addEventListener('abort', expire, { once: true });
    });
    work.catch(() => undefined);
    return Promise.race([work, urgent]).finally(() => clearTimeout(timer));
}
/**
 * The action: read settings, run the operation, report. Never throws. A cancellation ends the
 * run with a report too: `cancellation` hears the runner's signals (index.ts).
 */
async function run(clock = src_clock/* systemClock */.ml, cancellation = new src_cancellation/* Cancellation */.mT()) {
    let operation;
    let result;
    let failure;
    let platform;
    try {
        const settings = readSettings();
        operation = settings.operation;
        result = new src_result/* OperationResult */.T(settings.operation, settings.dryRun, settings.platform);
        platform = createPlatform(settings, clock, cancellation);
        const context = { platform, clock, result, cancellation };
        await untilUrgent(dispatch(settings, context), cancellation);
        const flagged = result.audit?.flaggedKeyIds ?? [];
        if (settings.operation === 'audit' && settings.failIfFlagged && flagged.length > 0) {
            failure = {
                state: 'unchanged',
                message: `${flagged.length} key(s) flagged (fail-if-flagged: true): key IDs ${flagged.join(', ')}`,
                recovery: [
                    {
                        kind: 'manual',
                        text: 'Rotate, lock or delete the flagged keys (the table above says why each is flagged), or change flag.'
                    }
                ]
            };
        }
    }
    catch (error) {
        failure = failureOf(error instanceof src_cancellation/* CancelledError */.cc
            ? new Error(cancelledText(error.signal, result), { cause: error })
            : error, result);
    }
    finally {
        if (result)
            nameRole(result);
        platform?.dispose();
    }
    try {
        if (result)
            setOutputs(result, failure);
        await writeSummary(operation ?? 'invalid input', result, failure);
    }
    catch (error) {
        core/* warning */.$e(`No job summary was written: ${(0,redaction/* errorText */.kc)(error)}`);
    }
    if (failure !== undefined)
        core/* setFailed */.C1(failureText(failure));
}


/***/ }),

/***/ 669:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ phase),
/* harmony export */   Z: () => (/* binding */ change)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(584);
/* harmony import */ var _dates_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(718);
/* harmony import */ var _http_http_error_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(161);



/**
 * Runs one phase of an operation inside a log group, and records how long it took (in the
 * result, and as the group's last line).
 */
async function phase(name, { result, clock }, work) {
    const started = clock.now();
    return _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .group */ .Os(name, async () => {
        try {
            return await work();
        }
        finally {
            const took = clock.now() - started;
            result.timings[name.toLowerCase()] = took;
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${name} took ${(0,_dates_js__WEBPACK_IMPORTED_MODULE_2__/* .durationText */ .S5)(took)}`);
        }
    });
}
/**
 * Runs one change (a request that alters a key or a secret): refused with a `CancelledError`
 * once the run was cancelled (but for a clean-up: removing what this run made and nothing
 * holds), and recorded as under way until its answer is in. An unclear answer leaves it
 * recorded as `unclear` (the run's state is then `unknown`) until the caller checks what
 * happened and clears it.
 */
async function change({ result, cancellation }, what, work, { cleanUp = false } = {}) {
    if (!cleanUp)
        cancellation.throwIfRequested();
    result.underWay = what;
    try {
        return await work();
    }
    catch (error) {
        if (error instanceof _http_http_error_js__WEBPACK_IMPORTED_MODULE_1__/* .HttpError */ .j$ && error.unclear)
            result.unclear = what;
        throw error;
    }
    finally {
        result.underWay = undefined;
    }
}


/***/ }),

/***/ 646:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $E: () => (/* binding */ guardAuthenticatingKey),
/* harmony export */   Ri: () => (/* binding */ warnRecentTurn),
/* harmony export */   S8: () => (/* binding */ lookUpRoleName),
/* harmony export */   V8: () => (/* binding */ resolveKeyAndAuthenticating),
/* harmony export */   au: () => (/* binding */ didYouMean),
/* harmony export */   bR: () => (/* binding */ roleLabel),
/* harmony export */   fy: () => (/* binding */ resolveRole),
/* harmony export */   jk: () => (/* binding */ compareKeyIds),
/* harmony export */   oO: () => (/* binding */ resolveKey),
/* harmony export */   w8: () => (/* binding */ keyLabel)
/* harmony export */ });
/* harmony import */ var _dates_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(718);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(584);
/* harmony import */ var _redaction_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(66);



/** How a key is named in the log: `key 12 "ci-deployer"` (the name made log-safe). */
function keyLabel(key) {
    return `key ${key.id} "${(0,_redaction_js__WEBPACK_IMPORTED_MODULE_1__/* .logSafe */ .sN)(key.name)}"`;
}
/** How a role is named in the log: `3 "Deployer"`, `3` or `"Deployer"`, as far as it is known. */
function roleLabel(role) {
    const name = role.name === undefined ? undefined : `"${(0,_redaction_js__WEBPACK_IMPORTED_MODULE_1__/* .logSafe */ .sN)(role.name)}"`;
    return [role.id, name].filter((part) => part !== undefined).join(' ');
}
/**
 * Orders key IDs as their platform numbers them: digits by value, anything else as lower-case
 * text.
 */
function compareKeyIds(a, b) {
    if (/^\d+$/.test(a) && /^\d+$/.test(b))
        return Number(a) - Number(b);
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
}
/** Finds the key a selector names; a name that matches no key fails. */
async function resolveKey(platform, selector) {
    switch (selector.by) {
        case 'id':
            return platform.getKey(selector.id);
        case 'authenticating':
            return authenticatingKey(platform);
        case 'name': {
            const key = await platform.findKeyByName(selector.name);
            if (!key) {
                const names = await platform.listKeys().then((keys) => keys.map((k) => k.name), () => []);
                throw new Error(`No API key named "${(0,_redaction_js__WEBPACK_IMPORTED_MODULE_1__/* .logSafe */ .sN)(selector.name)}" exists (key-name); nothing was changed.${didYouMean(selector.name, names)}`);
            }
            return key;
        }
    }
}
async function resolveRole(platform, selector) {
    if (selector.by === 'id')
        return platform.getRole(selector.id);
    const role = await platform.findRoleByName(selector.name);
    if (!role) {
        const names = await platform.listRoles().then((roles) => roles.map((r) => r.name), () => []);
        throw new Error(`No role named "${(0,_redaction_js__WEBPACK_IMPORTED_MODULE_1__/* .logSafe */ .sN)(selector.name)}" exists (role-name); nothing was changed.${didYouMean(selector.name, names)}`);
    }
    return role;
}
/**
 * " Did you mean "deployer-a"?" naming the names nearest to `name` (the same but for case, or a
 * couple of typing mistakes away), at most three; empty when none is near.
 */
function didYouMean(name, names) {
    const wanted = name.toLowerCase();
    const allowed = wanted.length < 5 ? 1 : 2;
    const near = [...new Set(names)]
        .map((n) => ({ n, d: editDistance(wanted, n.toLowerCase(), allowed) }))
        .filter(({ d }) => d <= allowed)
        .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
        .slice(0, 3)
        .map(({ n }) => `"${(0,_redaction_js__WEBPACK_IMPORTED_MODULE_1__/* .logSafe */ .sN)(n)}"`);
    return near.length ? ` Did you mean ${near.join(' or ')}?` : '';
}
/** Levenshtein distance of two texts, or `limit + 1` once it is certainly more than `limit`. */
function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit)
        return limit + 1;
    let previous = Array.from({ length: b.length + 1 }, (_v, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        }
        if (Math.min(...current) > limit)
            return limit + 1;
        previous = current;
    }
    return previous[b.length];
}
/**
 * Resolves the key and tells whether it is the authenticating key, asking the platform for
 * both at once.
 */
async function resolveKeyAndAuthenticating(platform, selector) {
    if (selector.by === 'authenticating') {
        return { key: await authenticatingKey(platform), authenticating: true };
    }
    const [key, authenticating] = await Promise.all([
        resolveKey(platform, selector),
        platform.getAuthenticatingKey()
    ]);
    return { key, authenticating: key.id === authenticating?.id };
}
/** The authenticating key, on a platform that can tell which key that is. */
async function authenticatingKey(platform) {
    const key = await platform.getAuthenticatingKey();
    if (!key)
        throw new Error('This platform does not say which key authenticates: name the key.');
    return key;
}
/**
 * Starts reading the name of `key`'s role for the report (where the key names only its role's
 * ID), and records it in the result. Started as soon as the key is known, so that it runs beside
 * the work already waiting; awaited before a change that revokes the secret it is sent with
 * (no request carries a secret this run revoked). Never rejects: a role that cannot be read is
 * left out of the report.
 */
function lookUpRoleName({ platform, result }, key) {
    const id = key.role.id;
    if (key.role.name !== undefined || id === undefined)
        return Promise.resolve();
    return platform.getRole(id).then((role) => {
        if (role.id === id)
            result.role ??= role;
    }, () => undefined);
}
/**
 * `alternate`: warns when the pair took turns less than a day ago (`storedRecently` tells, per
 * platform, whether a key went to the destinations less than a day ago): jobs that read the idle
 * key since then lose their credential now.
 */
function warnRecentTurn(idle, live, storedRecently, now) {
    const space = 'Space alternating rotations further apart than your longest job and its queue time.';
    if (storedRecently(idle)) {
        const created = idle.createdAt !== undefined && idle.createdAt > now - _dates_js__WEBPACK_IMPORTED_MODULE_2__/* .DAY_MS */ .sO;
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`${keyLabel(idle)} was ${created ? 'created' : 'rotated'} less than a day ago: jobs that read it since then lose their credential now. ${space}`);
    }
    else if (storedRecently(live)) {
        // The live key took over less than a day ago: until then the destinations held the idle key.
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`${keyLabel(live)} took over less than a day ago; until then the destinations held ${keyLabel(idle)}, and jobs that read it before lose their credential now. ${space}`);
    }
}
/** Refuses to act on the authenticating key, unless `allow-self` says so. */
function guardAuthenticatingKey(key, authenticating, allowSelf, operation) {
    if (authenticating && !allowSelf) {
        throw new Error(`${keyLabel(key)} is the key this action authenticates with (api-secret-key): ${operation}` +
            ' would cut off every workflow that uses it, this one included. Set allow-self: true if that' +
            ' is what you want. Nothing was changed.');
    }
    if (authenticating)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`${operation} of ${keyLabel(key)}, the key this action authenticates with (allow-self: true)`);
}


/***/ }),

/***/ 947:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Kt: () => (/* binding */ showsChanges),
/* harmony export */   bU: () => (/* binding */ KeyNotFoundError),
/* harmony export */   hf: () => (/* binding */ hasRole),
/* harmony export */   jH: () => (/* binding */ atMostOne),
/* harmony export */   pv: () => (/* binding */ withCleanUp)
/* harmony export */ });
/**
 * The seam between the operations and a key platform (docs/architecture.md). Operations see
 * keys and roles in these words only; each platform's folder maps its wire format to them.
 */
/**
 * The platform a clean-up uses: after a signal, one that SIGTERM does not abandon
 * ({@link KeyPlatform.forCleanUp}); `use` runs with it, and it is disposed after.
 */
async function withCleanUp(platform, signalled, use) {
    if (!signalled)
        return use(platform);
    const cleaner = platform.forCleanUp();
    try {
        return await use(cleaner);
    }
    finally {
        cleaner.dispose();
    }
}
/**
 * The one item of a platform's answer to an exact-name lookup, or none; several fail (a name
 * that stands for several keys or roles must never pick one of them).
 */
function atMostOne(items, what, input, id) {
    if (items.length <= 1)
        return items[0];
    throw new Error(`More than one ${what} exists (IDs ${items.map(id).join(', ')}); use the ID instead of ${input}. Nothing was changed.`);
}
/** How far an expiry read back may be from the one asked for (a platform may round it). */
const EXPIRY_SLACK_MS = 60_000;
/** Whether a key's role is `role`: by ID where roles have IDs, else by name. */
function hasRole(key, role) {
    return role.id !== undefined ? key.role.id === role.id : key.role.name === role.name;
}
/** True when `key` shows every change of `changes` (a role by ID where it has one). */
function showsChanges(key, changes) {
    const { role, active, expiresAt, name } = changes;
    return ((active === undefined || key.active === active) &&
        (name === undefined || key.name === name) &&
        (role === undefined || hasRole(key, role)) &&
        (expiresAt === undefined ||
            (key.expiresAt !== undefined && Math.abs(key.expiresAt - expiresAt) <= EXPIRY_SLACK_MS)));
}
/** The key asked for does not exist (the platform answered "not found" for it). */
class KeyNotFoundError extends Error {
    id;
    constructor(id, message, options) {
        super(message, options);
        this.id = id;
        this.name = 'KeyNotFoundError';
    }
}


/***/ }),

/***/ 66:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   bp: () => (/* binding */ untrusted),
/* harmony export */   fG: () => (/* binding */ scrubbed),
/* harmony export */   h5: () => (/* binding */ bidiVisible),
/* harmony export */   kc: () => (/* binding */ errorText),
/* harmony export */   ol: () => (/* binding */ protectSecret),
/* harmony export */   sN: () => (/* binding */ logSafe)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(584);

/*
 * Secrets never reach the log, an output, the summary or an error message. Every secret is
 * masked the moment it exists (`protectSecret`); text the action did not write itself (a
 * server's message, a key's name) is redacted before it is reported, whatever form the server
 * echoed the secret in: plain, base64 or base64url at any alignment, hex in either case, and
 * any mixture of escapes (percent-encoding of every byte or only some, JSON `\u`, HTML
 * entities), which are decoded before the search. Text that still holds 8 characters in a row of
 * any of those forms is withheld whole.
 */
/** Every protected secret's forms searched as they are. */
const forms = new Set();
/** Every protected secret in lower-case hex, searched in either case. */
const hexForms = new Set();
/** Every run of FRAGMENT characters of those forms: a server text holding one is dropped. */
const fragments = new Set();
/** The shortest run of a secret's characters that counts as a leak. */
const FRAGMENT = 8;
/**
 * Masks a secret in the log the moment it exists, and remembers it (and its encoded forms) so
 * that text the action did not write itself can be redacted before it is reported.
 */
function protectSecret(value) {
    if (!value)
        return;
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(value);
    const remember = (set, form) => {
        if (form.length < FRAGMENT || set.has(form))
            return;
        set.add(form);
        for (let i = 0; i + FRAGMENT <= form.length; i++)
            fragments.add(form.slice(i, i + FRAGMENT));
    };
    for (const form of encodedForms(value))
        remember(forms, form);
    remember(hexForms, Buffer.from(value, 'utf8').toString('hex'));
}
function encodedForms(value) {
    const encoded = encodeURIComponent(value);
    const result = [value, encoded, encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())];
    // Base64 of a longer text shifts with the secret's offset: take each of the three alignments,
    // without the groups that depend on the bytes around it.
    const bytes = Buffer.from(value, 'utf8');
    for (let pad = 0; pad < 3; pad++) {
        const b64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
        const inner = b64.slice(pad === 0 ? 0 : 4, -4);
        result.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
    }
    return result;
}
const NAMED_ENTITIES = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    sol: '/',
    colon: ':',
    equals: '=',
    plus: '+'
};
const JSON_ESCAPES = {
    '"': '"',
    '\\': '\\',
    '/': '/',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t'
};
const ESCAPE = /%([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\(["\\/bfnrt])|&#(\d{1,7});|&#[xX]([0-9A-Fa-f]{1,6});|&([a-zA-Z]+);/y;
/** Decodes percent-escapes (ASCII bytes), JSON escapes and HTML character references. */
function decodeEscapes(text) {
    const decoded = { text: '', from: [], to: [] };
    const push = (chars, start, end) => {
        decoded.text += chars;
        for (let k = 0; k < chars.length; k++) {
            decoded.from.push(start);
            decoded.to.push(end);
        }
    };
    let i = 0;
    while (i < text.length) {
        ESCAPE.lastIndex = i;
        const m = text[i] === '%' || text[i] === '\\' || text[i] === '&' ? ESCAPE.exec(text) : null;
        let chars;
        if (m) {
            const [, percent, unicode, json, decimal, hex, named] = m;
            if (percent !== undefined && parseInt(percent, 16) < 0x80)
                chars = String.fromCharCode(parseInt(percent, 16));
            else if (unicode !== undefined)
                chars = String.fromCharCode(parseInt(unicode, 16));
            else if (json !== undefined)
                chars = JSON_ESCAPES[json];
            else if (decimal !== undefined || hex !== undefined) {
                const code = decimal !== undefined ? Number(decimal) : parseInt(hex, 16);
                chars = code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
            }
            else if (named !== undefined)
                chars = NAMED_ENTITIES[named.toLowerCase()];
        }
        if (m && chars !== undefined) {
            push(chars, i, i + m[0].length);
            i += m[0].length;
        }
        else {
            push(text[i], i, i + 1);
            i++;
        }
    }
    return decoded;
}
/** Hex letters in lower case, nothing else changed (the length stays the same). */
function hexLower(text) {
    return text.replace(/[A-F]/g, (c) => c.toLowerCase());
}
/** Every [start, end) range of `text` where a form occurs. */
function occurrences(text, needles) {
    const ranges = [];
    for (const needle of needles) {
        for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1))
            ranges.push([at, at + needle.length]);
    }
    return ranges;
}
/** The text with every protected secret, in every known form, replaced by `***`. */
function redact(text) {
    if (forms.size === 0 || text === '')
        return text;
    const decoded = decodeEscapes(text);
    const ranges = [
        ...occurrences(text, forms),
        ...occurrences(hexLower(text), hexForms),
        ...[...occurrences(decoded.text, forms), ...occurrences(hexLower(decoded.text), hexForms)].map(([start, end]) => [decoded.from[start], decoded.to[end - 1]])
    ].sort((a, b) => a[0] - b[0]);
    if (ranges.length === 0)
        return text;
    let redacted = '';
    let at = 0;
    for (const [start, end] of ranges) {
        if (end <= at)
            continue;
        if (start >= at)
            redacted += `${text.slice(at, start)}***`;
        at = end;
    }
    return redacted + text.slice(at);
}
/** True when the text, its escapes decoded and its whitespace removed, holds a run of any secret. */
function holdsFragment(text) {
    if (fragments.size === 0)
        return false;
    for (const variant of [text, decodeEscapes(text).text]) {
        const compact = variant.replace(/\s+/g, '');
        for (const candidate of [compact, hexLower(compact)]) {
            for (let i = 0; i + FRAGMENT <= candidate.length; i++) {
                if (fragments.has(candidate.slice(i, i + FRAGMENT)))
                    return true;
            }
        }
    }
    return false;
}
/** Bidirectional controls, which can make text read otherwise than it is. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** Bidirectional controls as visible escapes (`<U+202E>`). */
function bidiVisible(text) {
    return text.replace(BIDI_CONTROLS, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`);
}
/**
 * Text that a server sent, made fit for the log: no line break, no leading `::` and no `##[`
 * can start a workflow command, and bidirectional controls show as escapes. Does not redact;
 * see {@link untrusted}.
 */
function logSafe(text) {
    return (bidiVisible(text)
        .replace(/[\r\n\u0085\u2028\u2029]+/g, ' ')
        .replace(/\p{Cc}/gu, ' ')
        // The runner strips leading whitespace before it looks for `::`, and finds the legacy
        // `##[command]` syntax anywhere in a line.
        .replace(/^(\s*)::/, '$1: :')
        .replace(/##\[/g, '## ['));
}
/**
 * A value a server sent (a key's name, a description) with every secret redacted, or a
 * placeholder when it still holds a fragment of one. Still needs {@link logSafe} for the log.
 */
function scrubbed(text) {
    const redacted = redact(text);
    return holdsFragment(redacted) ? '[withheld: it held part of a secret]' : redacted;
}
/**
 * A server's message as it may be reported: redacted before it is cut, dropped whole when it
 * still holds a fragment of a secret, and safe for the log.
 */
function untrusted(text, maxLength = 500) {
    const safe = logSafe(scrubbed(text));
    return safe.length > maxLength ? `${safe.slice(0, maxLength)}…` : safe;
}
/** The message of anything thrown, redacted. */
function errorText(error) {
    return redact(error instanceof Error ? error.message : String(error));
}


/***/ }),

/***/ 666:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ OperationResult),
/* harmony export */   a: () => (/* binding */ RunFailure)
/* harmony export */ });
/* harmony import */ var _github_holders_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(712);
/* harmony import */ var _redaction_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(66);


/**
 * A failure that says what to do about it: its recovery, in order (empty when nothing needs to
 * be done), and the state when the result alone cannot tell it.
 */
class RunFailure extends Error {
    recovery;
    state;
    constructor(message, options = {}) {
        super(message, { cause: options.cause });
        this.name = 'RunFailure';
        this.recovery = options.recovery ?? [];
        this.state = options.state;
    }
    /**
     * `error` with `more` said after its message; its recovery and state are kept unless
     * `options` gives others.
     */
    static extend(error, more, options = {}) {
        const own = error instanceof RunFailure ? error : undefined;
        return new RunFailure(`${(0,_redaction_js__WEBPACK_IMPORTED_MODULE_0__/* .errorText */ .kc)(error)} ${more}`, {
            cause: error,
            recovery: options.recovery ?? own?.recovery,
            state: options.state ?? own?.state
        });
    }
}
/**
 * What a run did, filled in by the operation as it goes, so that whatever ends the run
 * (success, a failure, a cancellation) is reported with everything known at that moment.
 * Created once per run, by main.ts; the reporting module turns it into outputs and the summary.
 */
class OperationResult {
    operation;
    dryRun;
    platform;
    /** The key after the operation (before it, for delete); absent for audit. */
    key;
    /**
     * rotate: the key whose secret the destinations held before (`alternate`: the live key, left
     * alone).
     */
    previousKey;
    /**
     * rotate `replace`: whether `previousKey`, replaced by `key`, was deleted yet (undefined for
     * the live key of a pair, which stays).
     */
    previousDeleted;
    /** set-role and create: the role the key has now. */
    role;
    /** rotate, create: the GitHub secret's name. */
    secretName;
    /** rotate, create: each destination's outcome (`planned` in a dry run). */
    destinations;
    /** rotate, create: whether the new secret was proven to authenticate. */
    verified;
    /**
     * rotate, create: the new secret was withdrawn (its new key deleted) before any destination
     * held it, so the printed sealed copies must not be replayed.
     */
    replayVoid;
    /**
     * rotate, create: every replay block printed (sealed copies and their commands; safe to show),
     * for the summary.
     */
    replays;
    /** rotate, create: the expiry this run set. */
    expirySet;
    audit;
    /** True when something changed (never in a dry run). */
    changed = false;
    /** Human-readable lines: what changed, or what would change in a dry run. */
    changes = [];
    /**
     * A change whose request is under way, so whose outcome is not known yet (e.g. "the
     * regeneration of key 12's secret"): what a run cut short must report as unclear.
     */
    underWay;
    /**
     * A change that may have acted but got no clear answer, and that nothing checked since (e.g.
     * "the deletion of key 12"): the run's state is `unknown`.
     */
    unclear;
    /** Probe secrets this run wrote and could not remove (they block the next run a while). */
    leftProbes = [];
    /** Milliseconds per phase. */
    timings = {};
    constructor(operation, dryRun, platform = 'workload-security') {
        this.operation = operation;
        this.dryRun = dryRun;
        this.platform = platform;
    }
    /** Records a change that happened. */
    change(what) {
        this.changed = true;
        this.changes.push(what);
    }
    /** Records what a dry run would have done, or what is known without a change. */
    note(what) {
        this.changes.push(what);
    }
    /** What the run leaves behind (see {@link RunState}). */
    get state() {
        if (this.unclear !== undefined || this.underWay !== undefined)
            return 'unknown';
        if (!this.changed)
            return 'unchanged';
        const writes = (this.destinations ?? []).filter((d) => d.status !== 'planned');
        return writes.every(_github_holders_js__WEBPACK_IMPORTED_MODULE_1__/* .isStored */ .m) ? 'done' : 'partial';
    }
    /** rotate, create: how many destinations hold the new secret. */
    get secretsUpdated() {
        return (this.destinations ?? []).filter(_github_holders_js__WEBPACK_IMPORTED_MODULE_1__/* .isStored */ .m).length;
    }
}


/***/ }),

/***/ 750:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   J1: () => (/* binding */ SECRET_TYPES),
/* harmony export */   P4: () => (/* binding */ PLATFORMS),
/* harmony export */   Se: () => (/* binding */ LIFETIME_MONTHS),
/* harmony export */   jZ: () => (/* binding */ VISIBILITIES),
/* harmony export */   kp: () => (/* binding */ AUTH_SCHEMES),
/* harmony export */   mH: () => (/* binding */ FINDING_KINDS),
/* harmony export */   xb: () => (/* binding */ OPERATIONS)
/* harmony export */ });
/**
 * The validated settings of one run: types only. `inputs.ts` builds them; the operations and
 * the clients read them. Nothing here depends on how the values were read.
 */
const OPERATIONS = [
    'rotate',
    'create',
    'set-role',
    'lock',
    'unlock',
    'delete',
    'describe',
    'audit'
];
const PLATFORMS = ['workload-security', 'vision-one', 'cloud-one'];
const AUTH_SCHEMES = ['api-secret-key', 'cloud-one'];
const VISIBILITIES = ['all', 'private', 'selected'];
const SECRET_TYPES = ['actions', 'dependabot', 'codespaces'];
const FINDING_KINDS = [
    'expired',
    'expiring',
    'no-expiry',
    'never-used',
    'stale',
    'locked',
    'failed-sign-ins',
    'full-access'
];
/** A Vision One key's lifetime in months, chosen at creation. */
const LIFETIME_MONTHS = [1, 3, 6, 12];


/***/ }),

/***/ 13:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  xV: () => (/* binding */ ISSUES_URL),
  _O: () => (/* binding */ USER_AGENT),
  nn: () => (/* binding */ docLink)
});

// UNUSED EXPORTS: REPOSITORY_URL

;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = /*#__PURE__*/JSON.parse('{"rE":"1.0.0","Jk":{"O":"git+https://github.com/keyops-actions/workload-security-api-key-action.git"},"SN":{"O":"https://github.com/keyops-actions/workload-security-api-key-action/issues"}}');
;// CONCATENATED MODULE: ./src/version.ts

/** Sent in every User-Agent; the version is package.json's, inlined by the bundler. */
const ACTION_NAME = 'workload-security-api-key-action';
const ACTION_VERSION = package_namespaceObject.rE;
const USER_AGENT = `${ACTION_NAME}/${ACTION_VERSION}`;
/** The action's repository on GitHub, from package.json's `repository` (the one place naming it). */
const REPOSITORY_URL = package_namespaceObject.Jk.O.replace(/^git\+/, '').replace(/\.git$/, '');
/** A link a reader can open to a file of this repository, at the version that runs. */
function docLink(path) {
    return `${REPOSITORY_URL}/blob/v${ACTION_VERSION}/${path}`;
}
/** Where users report a problem (package.json's `bugs`). */
const ISSUES_URL = package_namespaceObject.SN.O;


/***/ }),

/***/ 613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 23:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 584:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Yz: () => (/* binding */ core_debug),
  V4: () => (/* binding */ getInput),
  Os: () => (/* binding */ group),
  pq: () => (/* binding */ info),
  lm: () => (/* binding */ notice),
  C1: () => (/* binding */ setFailed),
  uH: () => (/* binding */ setOutput),
  Pq: () => (/* binding */ core_setSecret),
  z: () => (/* reexport */ summary),
  $e: () => (/* binding */ warning)
});

// UNUSED EXPORTS: ExitCode, addPath, endGroup, error, exportVariable, getBooleanInput, getIDToken, getMultilineInput, getState, isDebug, markdownSummary, platform, saveState, setCommandEcho, startGroup, toPlatformPath, toPosixPath, toWin32Path

// EXTERNAL MODULE: external "os"
var external_os_ = __nccwpck_require__(857);
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function utils_toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function command_issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_.EOL);
}
function command_issue(name, message = '') {
    command_issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
// EXTERNAL MODULE: external "fs"
var external_fs_ = __nccwpck_require__(896);
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function file_command_issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_.appendFileSync(filePath, `${utils_toCommandValue(message)}${external_os_.EOL}`, {
        encoding: 'utf8'
    });
}
function file_command_prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = utils_toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_.EOL}${convertedValue}${external_os_.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
// EXTERNAL MODULE: external "path"
var external_path_ = __nccwpck_require__(928);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __nccwpck_require__(942);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/auth.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class BasicCredentialHandler {
    constructor(username, password) {
        this.username = username;
        this.password = password;
    }
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class auth_BearerCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Bearer ${this.token}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class PersonalAccessTokenCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`PAT:${this.token}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
//# sourceMappingURL=auth.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/oidc-utils.js
var oidc_utils_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



class oidc_utils_OidcClient {
    static createHttpClient(allowRetry = true, maxRetry = 10) {
        const requestOptions = {
            allowRetries: allowRetry,
            maxRetries: maxRetry
        };
        return new HttpClient('actions/oidc-client', [new BearerCredentialHandler(oidc_utils_OidcClient.getRequestToken())], requestOptions);
    }
    static getRequestToken() {
        const token = process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
        if (!token) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        }
        return token;
    }
    static getIDTokenUrl() {
        const runtimeUrl = process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
        if (!runtimeUrl) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        }
        return runtimeUrl;
    }
    static getCall(id_token_url) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            var _a;
            const httpclient = oidc_utils_OidcClient.createHttpClient();
            const res = yield httpclient
                .getJson(id_token_url)
                .catch(error => {
                throw new Error(`Failed to get ID Token. \n 
        Error Code : ${error.statusCode}\n 
        Error Message: ${error.message}`);
            });
            const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
            if (!id_token) {
                throw new Error('Response json body do not have ID Token field');
            }
            return id_token;
        });
    }
    static getIDToken(audience) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            try {
                // New ID Token is requested from action service
                let id_token_url = oidc_utils_OidcClient.getIDTokenUrl();
                if (audience) {
                    const encodedAudience = encodeURIComponent(audience);
                    id_token_url = `${id_token_url}&audience=${encodedAudience}`;
                }
                debug(`ID token url is ${id_token_url}`);
                const id_token = yield oidc_utils_OidcClient.getCall(id_token_url);
                setSecret(id_token);
                return id_token;
            }
            catch (error) {
                throw new Error(`Error message: ${error.message}`);
            }
        });
    }
}
//# sourceMappingURL=oidc-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var summary_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { access, appendFile, writeFile } = external_fs_.promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return summary_awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_.constants.R_OK | external_fs_.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return summary_awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return summary_awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(external_os_.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
const markdownSummary = (/* unused pure expression or super */ null && (_summary));
const summary = _summary;
//# sourceMappingURL=summary.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/path-utils.js

/**
 * toPosixPath converts the given path to the posix form. On Windows, \\ will be
 * replaced with /.
 *
 * @param pth. Path to transform.
 * @return string Posix path.
 */
function toPosixPath(pth) {
    return pth.replace(/[\\]/g, '/');
}
/**
 * toWin32Path converts the given path to the win32 form. On Linux, / will be
 * replaced with \\.
 *
 * @param pth. Path to transform.
 * @return string Win32 path.
 */
function toWin32Path(pth) {
    return pth.replace(/[/]/g, '\\');
}
/**
 * toPlatformPath converts the given path to a platform-specific path. It does
 * this by replacing instances of / and \ with the platform-specific path
 * separator.
 *
 * @param pth The path to platformize.
 * @return string The platform-specific path.
 */
function toPlatformPath(pth) {
    return pth.replace(/[/\\]/g, path.sep);
}
//# sourceMappingURL=path-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/platform.js
var platform_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};

// Patched (patches/README.md): @actions/exec loads when a platform function runs, not at import.
const loadExec = () => __nccwpck_require__.e(/* import() */ 260).then(__nccwpck_require__.bind(__nccwpck_require__, 260));
const getWindowsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout: version } = yield (yield loadExec()).getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Version"', undefined, {
        silent: true
    });
    const { stdout: name } = yield (yield loadExec()).getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Caption"', undefined, {
        silent: true
    });
    return {
        name: name.trim(),
        version: version.trim()
    };
});
const getMacOsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    var _a, _b, _c, _d;
    const { stdout } = yield (yield loadExec()).getExecOutput('sw_vers', undefined, {
        silent: true
    });
    const version = (_b = (_a = stdout.match(/ProductVersion:\s*(.+)/)) === null || _a === void 0 ? void 0 : _a[1]) !== null && _b !== void 0 ? _b : '';
    const name = (_d = (_c = stdout.match(/ProductName:\s*(.+)/)) === null || _c === void 0 ? void 0 : _c[1]) !== null && _d !== void 0 ? _d : '';
    return {
        name,
        version
    };
});
const getLinuxInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout } = yield (yield loadExec()).getExecOutput('lsb_release', ['-i', '-r', '-s'], {
        silent: true
    });
    const [name, version] = stdout.trim().split('\n');
    return {
        name,
        version
    };
});
const platform = external_os_.platform();
const arch = external_os_.arch();
const isWindows = platform === 'win32';
const isMacOS = platform === 'darwin';
const isLinux = platform === 'linux';
function getDetails() {
    return platform_awaiter(this, void 0, void 0, function* () {
        return Object.assign(Object.assign({}, (yield (isWindows
            ? getWindowsInfo()
            : isMacOS
                ? getMacOsInfo()
                : getLinuxInfo()))), { platform,
            arch,
            isWindows,
            isMacOS,
            isLinux });
    });
}
//# sourceMappingURL=platform.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/core.js
var core_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};






/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function core_setSecret(secret) {
    command_issueCommand('add-mask', {}, secret);
}
/**
 * Prepends inputPath to the PATH (for this action and future actions)
 * @param inputPath
 */
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${path.delimiter}${process.env['PATH']}`;
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
/**
 * Gets the values of an multiline input.  Each value is also trimmed.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string[]
 *
 */
function getMultilineInput(name, options) {
    const inputs = getInput(name, options)
        .split('\n')
        .filter(x => x !== '');
    if (options && options.trimWhitespace === false) {
        return inputs;
    }
    return inputs.map(input => input.trim());
}
/**
 * Gets the input value of the boolean type in the YAML 1.2 "core schema" specification.
 * Support boolean input list: `true | True | TRUE | false | False | FALSE` .
 * The return value is also in boolean type.
 * ref: https://yaml.org/spec/1.2/spec.html#id2804923
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   boolean
 */
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name, options);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return file_command_issueFileCommand('OUTPUT', file_command_prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_os_.EOL);
    command_issueCommand('set-output', { name }, utils_toCommandValue(value));
}
/**
 * Enables or disables the echoing of commands into stdout for the rest of the step.
 * Echoing is disabled by default if ACTIONS_STEP_DEBUG is not set.
 *
 */
function setCommandEcho(enabled) {
    issue('echo', enabled ? 'on' : 'off');
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
//-----------------------------------------------------------------------
// Logging Commands
//-----------------------------------------------------------------------
/**
 * Gets whether Actions Step Debug is on or not
 */
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function core_debug(message) {
    command_issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    command_issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    command_issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    command_issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + external_os_.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    command_issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    command_issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return core_awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function getIDToken(aud) {
    return core_awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}
/**
 * Summary exports
 */

/**
 * @deprecated use core.summary
 */

/**
 * Path exports
 */

/**
 * Platform utilities exports
 */

//# sourceMappingURL=core.js.map

/***/ }),

/***/ 942:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Qq: () => (/* binding */ HttpClient)
});

// UNUSED EXPORTS: Headers, HttpClientError, HttpClientResponse, HttpCodes, MediaTypes, getProxyUrl, isHttps

// EXTERNAL MODULE: external "http"
var external_http_ = __nccwpck_require__(611);
var external_http_namespaceObject = /*#__PURE__*/__nccwpck_require__.t(external_http_, 2);
// EXTERNAL MODULE: external "https"
var external_https_ = __nccwpck_require__(692);
var external_https_namespaceObject = /*#__PURE__*/__nccwpck_require__.t(external_https_, 2);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/proxy.js
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map
// EXTERNAL MODULE: ./node_modules/tunnel/index.js
var tunnel = __nccwpck_require__(770);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/index.js
/* eslint-disable @typescript-eslint/no-explicit-any */
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};




var HttpCodes;
(function (HttpCodes) {
    HttpCodes[HttpCodes["OK"] = 200] = "OK";
    HttpCodes[HttpCodes["MultipleChoices"] = 300] = "MultipleChoices";
    HttpCodes[HttpCodes["MovedPermanently"] = 301] = "MovedPermanently";
    HttpCodes[HttpCodes["ResourceMoved"] = 302] = "ResourceMoved";
    HttpCodes[HttpCodes["SeeOther"] = 303] = "SeeOther";
    HttpCodes[HttpCodes["NotModified"] = 304] = "NotModified";
    HttpCodes[HttpCodes["UseProxy"] = 305] = "UseProxy";
    HttpCodes[HttpCodes["SwitchProxy"] = 306] = "SwitchProxy";
    HttpCodes[HttpCodes["TemporaryRedirect"] = 307] = "TemporaryRedirect";
    HttpCodes[HttpCodes["PermanentRedirect"] = 308] = "PermanentRedirect";
    HttpCodes[HttpCodes["BadRequest"] = 400] = "BadRequest";
    HttpCodes[HttpCodes["Unauthorized"] = 401] = "Unauthorized";
    HttpCodes[HttpCodes["PaymentRequired"] = 402] = "PaymentRequired";
    HttpCodes[HttpCodes["Forbidden"] = 403] = "Forbidden";
    HttpCodes[HttpCodes["NotFound"] = 404] = "NotFound";
    HttpCodes[HttpCodes["MethodNotAllowed"] = 405] = "MethodNotAllowed";
    HttpCodes[HttpCodes["NotAcceptable"] = 406] = "NotAcceptable";
    HttpCodes[HttpCodes["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
    HttpCodes[HttpCodes["RequestTimeout"] = 408] = "RequestTimeout";
    HttpCodes[HttpCodes["Conflict"] = 409] = "Conflict";
    HttpCodes[HttpCodes["Gone"] = 410] = "Gone";
    HttpCodes[HttpCodes["TooManyRequests"] = 429] = "TooManyRequests";
    HttpCodes[HttpCodes["InternalServerError"] = 500] = "InternalServerError";
    HttpCodes[HttpCodes["NotImplemented"] = 501] = "NotImplemented";
    HttpCodes[HttpCodes["BadGateway"] = 502] = "BadGateway";
    HttpCodes[HttpCodes["ServiceUnavailable"] = 503] = "ServiceUnavailable";
    HttpCodes[HttpCodes["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function (Headers) {
    Headers["Accept"] = "accept";
    Headers["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function (MediaTypes) {
    MediaTypes["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
/**
 * Returns the proxy URL, depending upon the supplied url and proxy environment variables.
 * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
 */
function lib_getProxyUrl(serverUrl) {
    const proxyUrl = pm.getProxyUrl(new URL(serverUrl));
    return proxyUrl ? proxyUrl.href : '';
}
const HttpRedirectCodes = [
    HttpCodes.MovedPermanently,
    HttpCodes.ResourceMoved,
    HttpCodes.SeeOther,
    HttpCodes.TemporaryRedirect,
    HttpCodes.PermanentRedirect
];
const HttpResponseRetryCodes = [
    HttpCodes.BadGateway,
    HttpCodes.ServiceUnavailable,
    HttpCodes.GatewayTimeout
];
const RetryableHttpVerbs = ['OPTIONS', 'GET', 'DELETE', 'HEAD'];
const ExponentialBackoffCeiling = 10;
const ExponentialBackoffTimeSlice = 5;
class HttpClientError extends Error {
    constructor(message, statusCode) {
        super(message);
        this.name = 'HttpClientError';
        this.statusCode = statusCode;
        Object.setPrototypeOf(this, HttpClientError.prototype);
    }
}
class HttpClientResponse {
    constructor(message) {
        this.message = message;
    }
    readBody() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                let output = Buffer.alloc(0);
                this.message.on('data', (chunk) => {
                    output = Buffer.concat([output, chunk]);
                });
                this.message.on('end', () => {
                    resolve(output.toString());
                });
            }));
        });
    }
    readBodyBuffer() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                const chunks = [];
                this.message.on('data', (chunk) => {
                    chunks.push(chunk);
                });
                this.message.on('end', () => {
                    resolve(Buffer.concat(chunks));
                });
            }));
        });
    }
}
function isHttps(requestUrl) {
    const parsedUrl = new URL(requestUrl);
    return parsedUrl.protocol === 'https:';
}
class HttpClient {
    constructor(userAgent, handlers, requestOptions) {
        this._ignoreSslError = false;
        this._allowRedirects = true;
        this._allowRedirectDowngrade = false;
        this._maxRedirects = 50;
        this._allowRetries = false;
        this._maxRetries = 1;
        this._keepAlive = false;
        this._disposed = false;
        this.userAgent = this._getUserAgentWithOrchestrationId(userAgent);
        this.handlers = handlers || [];
        this.requestOptions = requestOptions;
        if (requestOptions) {
            if (requestOptions.ignoreSslError != null) {
                this._ignoreSslError = requestOptions.ignoreSslError;
            }
            this._socketTimeout = requestOptions.socketTimeout;
            if (requestOptions.allowRedirects != null) {
                this._allowRedirects = requestOptions.allowRedirects;
            }
            if (requestOptions.allowRedirectDowngrade != null) {
                this._allowRedirectDowngrade = requestOptions.allowRedirectDowngrade;
            }
            if (requestOptions.maxRedirects != null) {
                this._maxRedirects = Math.max(requestOptions.maxRedirects, 0);
            }
            if (requestOptions.keepAlive != null) {
                this._keepAlive = requestOptions.keepAlive;
            }
            if (requestOptions.allowRetries != null) {
                this._allowRetries = requestOptions.allowRetries;
            }
            if (requestOptions.maxRetries != null) {
                this._maxRetries = requestOptions.maxRetries;
            }
        }
    }
    options(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('OPTIONS', requestUrl, null, additionalHeaders || {});
        });
    }
    get(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('GET', requestUrl, null, additionalHeaders || {});
        });
    }
    del(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('DELETE', requestUrl, null, additionalHeaders || {});
        });
    }
    post(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('POST', requestUrl, data, additionalHeaders || {});
        });
    }
    patch(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PATCH', requestUrl, data, additionalHeaders || {});
        });
    }
    put(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PUT', requestUrl, data, additionalHeaders || {});
        });
    }
    head(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('HEAD', requestUrl, null, additionalHeaders || {});
        });
    }
    sendStream(verb, requestUrl, stream, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request(verb, requestUrl, stream, additionalHeaders);
        });
    }
    /**
     * Gets a typed object from an endpoint
     * Be aware that not found returns a null.  Other errors (4xx, 5xx) reject the promise
     */
    getJson(requestUrl_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, additionalHeaders = {}) {
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            const res = yield this.get(requestUrl, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    postJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.post(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    putJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.put(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    patchJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.patch(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    /**
     * Makes a raw http request.
     * All other methods such as get, post, patch, and request ultimately call this.
     * Prefer get, del, post and patch
     */
    request(verb, requestUrl, data, headers) {
        return __awaiter(this, void 0, void 0, function* () {
            if (this._disposed) {
                throw new Error('Client has already been disposed.');
            }
            const parsedUrl = new URL(requestUrl);
            let info = this._prepareRequest(verb, parsedUrl, headers);
            // Only perform retries on reads since writes may not be idempotent.
            const maxTries = this._allowRetries && RetryableHttpVerbs.includes(verb)
                ? this._maxRetries + 1
                : 1;
            let numTries = 0;
            let response;
            do {
                response = yield this.requestRaw(info, data);
                // Check if it's an authentication challenge
                if (response &&
                    response.message &&
                    response.message.statusCode === HttpCodes.Unauthorized) {
                    let authenticationHandler;
                    for (const handler of this.handlers) {
                        if (handler.canHandleAuthentication(response)) {
                            authenticationHandler = handler;
                            break;
                        }
                    }
                    if (authenticationHandler) {
                        return authenticationHandler.handleAuthentication(this, info, data);
                    }
                    else {
                        // We have received an unauthorized response but have no handlers to handle it.
                        // Let the response return to the caller.
                        return response;
                    }
                }
                let redirectsRemaining = this._maxRedirects;
                while (response.message.statusCode &&
                    HttpRedirectCodes.includes(response.message.statusCode) &&
                    this._allowRedirects &&
                    redirectsRemaining > 0) {
                    const redirectUrl = response.message.headers['location'];
                    if (!redirectUrl) {
                        // if there's no location to redirect to, we won't
                        break;
                    }
                    const parsedRedirectUrl = new URL(redirectUrl);
                    if (parsedUrl.protocol === 'https:' &&
                        parsedUrl.protocol !== parsedRedirectUrl.protocol &&
                        !this._allowRedirectDowngrade) {
                        throw new Error('Redirect from HTTPS to HTTP protocol. This downgrade is not allowed for security reasons. If you want to allow this behavior, set the allowRedirectDowngrade option to true.');
                    }
                    // we need to finish reading the response before reassigning response
                    // which will leak the open socket.
                    yield response.readBody();
                    // strip authorization header if redirected to a different hostname
                    if (parsedRedirectUrl.hostname !== parsedUrl.hostname) {
                        for (const header in headers) {
                            // header names are case insensitive
                            if (header.toLowerCase() === 'authorization') {
                                delete headers[header];
                            }
                        }
                    }
                    // let's make the request with the new redirectUrl
                    info = this._prepareRequest(verb, parsedRedirectUrl, headers);
                    response = yield this.requestRaw(info, data);
                    redirectsRemaining--;
                }
                if (!response.message.statusCode ||
                    !HttpResponseRetryCodes.includes(response.message.statusCode)) {
                    // If not a retry code, return immediately instead of retrying
                    return response;
                }
                numTries += 1;
                if (numTries < maxTries) {
                    yield response.readBody();
                    yield this._performExponentialBackoff(numTries);
                }
            } while (numTries < maxTries);
            return response;
        });
    }
    /**
     * Needs to be called if keepAlive is set to true in request options.
     */
    dispose() {
        if (this._agent) {
            this._agent.destroy();
        }
        this._disposed = true;
    }
    /**
     * Raw request.
     * @param info
     * @param data
     */
    requestRaw(info, data) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => {
                function callbackForResult(err, res) {
                    if (err) {
                        reject(err);
                    }
                    else if (!res) {
                        // If `err` is not passed, then `res` must be passed.
                        reject(new Error('Unknown error'));
                    }
                    else {
                        resolve(res);
                    }
                }
                this.requestRawWithCallback(info, data, callbackForResult);
            });
        });
    }
    /**
     * Raw request with callback.
     * @param info
     * @param data
     * @param onResult
     */
    requestRawWithCallback(info, data, onResult) {
        if (typeof data === 'string') {
            if (!info.options.headers) {
                info.options.headers = {};
            }
            info.options.headers['Content-Length'] = Buffer.byteLength(data, 'utf8');
        }
        let callbackCalled = false;
        function handleResult(err, res) {
            if (!callbackCalled) {
                callbackCalled = true;
                onResult(err, res);
            }
        }
        const req = info.httpModule.request(info.options, (msg) => {
            const res = new HttpClientResponse(msg);
            handleResult(undefined, res);
        });
        let socket;
        req.on('socket', sock => {
            socket = sock;
        });
        // If we ever get disconnected, we want the socket to timeout eventually
        req.setTimeout(this._socketTimeout || 3 * 60000, () => {
            if (socket) {
                socket.end();
            }
            handleResult(new Error(`Request timeout: ${info.options.path}`));
        });
        req.on('error', function (err) {
            // err has statusCode property
            // res should have headers
            handleResult(err);
        });
        if (data && typeof data === 'string') {
            req.write(data, 'utf8');
        }
        if (data && typeof data !== 'string') {
            data.on('close', function () {
                req.end();
            });
            data.pipe(req);
        }
        else {
            req.end();
        }
    }
    /**
     * Gets an http agent. This function is useful when you need an http agent that handles
     * routing through a proxy server - depending upon the url and proxy environment variables.
     * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
     */
    getAgent(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        return this._getAgent(parsedUrl);
    }
    getAgentDispatcher(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (!useProxy) {
            return;
        }
        return this._getProxyAgentDispatcher(parsedUrl, proxyUrl);
    }
    _prepareRequest(method, requestUrl, headers) {
        const info = {};
        info.parsedUrl = requestUrl;
        const usingSsl = info.parsedUrl.protocol === 'https:';
        info.httpModule = usingSsl ? external_https_namespaceObject : external_http_namespaceObject;
        const defaultPort = usingSsl ? 443 : 80;
        info.options = {};
        info.options.host = info.parsedUrl.hostname;
        info.options.port = info.parsedUrl.port
            ? parseInt(info.parsedUrl.port)
            : defaultPort;
        info.options.path =
            (info.parsedUrl.pathname || '') + (info.parsedUrl.search || '');
        info.options.method = method;
        info.options.headers = this._mergeHeaders(headers);
        if (this.userAgent != null) {
            info.options.headers['user-agent'] = this.userAgent;
        }
        info.options.agent = this._getAgent(info.parsedUrl);
        // gives handlers an opportunity to participate
        if (this.handlers) {
            for (const handler of this.handlers) {
                handler.prepareRequest(info.options);
            }
        }
        return info;
    }
    _mergeHeaders(headers) {
        if (this.requestOptions && this.requestOptions.headers) {
            return Object.assign({}, lowercaseKeys(this.requestOptions.headers), lowercaseKeys(headers || {}));
        }
        return lowercaseKeys(headers || {});
    }
    /**
     * Gets an existing header value or returns a default.
     * Handles converting number header values to strings since HTTP headers must be strings.
     * Note: This returns string | string[] since some headers can have multiple values.
     * For headers that must always be a single string (like Content-Type), use the
     * specialized _getExistingOrDefaultContentTypeHeader method instead.
     */
    _getExistingOrDefaultHeader(additionalHeaders, header, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[header];
            if (headerValue) {
                clientHeader =
                    typeof headerValue === 'number' ? headerValue.toString() : headerValue;
            }
        }
        const additionalValue = additionalHeaders[header];
        if (additionalValue !== undefined) {
            return typeof additionalValue === 'number'
                ? additionalValue.toString()
                : additionalValue;
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    /**
     * Specialized version of _getExistingOrDefaultHeader for Content-Type header.
     * Always returns a single string (not an array) since Content-Type should be a single value.
     * Converts arrays to comma-separated strings and numbers to strings to ensure type safety.
     * This was split from _getExistingOrDefaultHeader to provide stricter typing for callers
     * that assign the result to places expecting a string (e.g., additionalHeaders[Headers.ContentType]).
     */
    _getExistingOrDefaultContentTypeHeader(additionalHeaders, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[Headers.ContentType];
            if (headerValue) {
                if (typeof headerValue === 'number') {
                    clientHeader = String(headerValue);
                }
                else if (Array.isArray(headerValue)) {
                    clientHeader = headerValue.join(', ');
                }
                else {
                    clientHeader = headerValue;
                }
            }
        }
        const additionalValue = additionalHeaders[Headers.ContentType];
        // Return the first non-undefined value, converting numbers or arrays to strings if necessary
        if (additionalValue !== undefined) {
            if (typeof additionalValue === 'number') {
                return String(additionalValue);
            }
            else if (Array.isArray(additionalValue)) {
                return additionalValue.join(', ');
            }
            else {
                return additionalValue;
            }
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    _getAgent(parsedUrl) {
        let agent;
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (this._keepAlive && useProxy) {
            agent = this._proxyAgent;
        }
        if (!useProxy) {
            agent = this._agent;
        }
        // if agent is already assigned use that agent.
        if (agent) {
            return agent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        let maxSockets = 100;
        if (this.requestOptions) {
            maxSockets = this.requestOptions.maxSockets || external_http_.globalAgent.maxSockets;
        }
        // This is `useProxy` again, but we need to check `proxyURl` directly for TypeScripts's flow analysis.
        if (proxyUrl && proxyUrl.hostname) {
            const agentOptions = {
                maxSockets,
                keepAlive: this._keepAlive,
                proxy: Object.assign(Object.assign({}, ((proxyUrl.username || proxyUrl.password) && {
                    proxyAuth: `${proxyUrl.username}:${proxyUrl.password}`
                })), { host: proxyUrl.hostname, port: proxyUrl.port })
            };
            let tunnelAgent;
            const overHttps = proxyUrl.protocol === 'https:';
            if (usingSsl) {
                tunnelAgent = overHttps ? tunnel.httpsOverHttps : tunnel.httpsOverHttp;
            }
            else {
                tunnelAgent = overHttps ? tunnel.httpOverHttps : tunnel.httpOverHttp;
            }
            agent = tunnelAgent(agentOptions);
            this._proxyAgent = agent;
        }
        // if tunneling agent isn't assigned create a new agent
        if (!agent) {
            const options = { keepAlive: this._keepAlive, maxSockets };
            agent = usingSsl ? new external_https_.Agent(options) : new external_http_.Agent(options);
            this._agent = agent;
        }
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            agent.options = Object.assign(agent.options || {}, {
                rejectUnauthorized: false
            });
        }
        return agent;
    }
    _getProxyAgentDispatcher(parsedUrl, proxyUrl) {
        let proxyAgent;
        if (this._keepAlive) {
            proxyAgent = this._proxyAgentDispatcher;
        }
        // if agent is already assigned use that agent.
        if (proxyAgent) {
            return proxyAgent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        // Patched (patches/README.md): undici (900 KiB) is not bundled; nothing in this action
        // asks for a dispatcher (its requests go through getAgent).
        throw new Error('undici is left out of this bundle (patches/README.md): use getAgent, whose tunnel agent honours HTTPS_PROXY');
        proxyAgent = new ProxyAgent(Object.assign({ uri: proxyUrl.href, pipelining: !this._keepAlive ? 0 : 1 }, ((proxyUrl.username || proxyUrl.password) && {
            token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString('base64')}`
        })));
        this._proxyAgentDispatcher = proxyAgent;
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            proxyAgent.options = Object.assign(proxyAgent.options.requestTls || {}, {
                rejectUnauthorized: false
            });
        }
        return proxyAgent;
    }
    _getUserAgentWithOrchestrationId(userAgent) {
        const baseUserAgent = userAgent || 'actions/http-client';
        const orchId = process.env['ACTIONS_ORCHESTRATION_ID'];
        if (orchId) {
            // Sanitize the orchestration ID to ensure it contains only valid characters
            // Valid characters: 0-9, a-z, _, -, .
            const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, '_');
            return `${baseUserAgent} actions_orchestration_id/${sanitizedId}`;
        }
        return baseUserAgent;
    }
    _performExponentialBackoff(retryNumber) {
        return __awaiter(this, void 0, void 0, function* () {
            retryNumber = Math.min(ExponentialBackoffCeiling, retryNumber);
            const ms = ExponentialBackoffTimeSlice * Math.pow(2, retryNumber);
            return new Promise(resolve => setTimeout(() => resolve(), ms));
        });
    }
    _processResponse(res, options) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => __awaiter(this, void 0, void 0, function* () {
                const statusCode = res.message.statusCode || 0;
                const response = {
                    statusCode,
                    result: null,
                    headers: {}
                };
                // not found leads to null obj returned
                if (statusCode === HttpCodes.NotFound) {
                    resolve(response);
                }
                // get the result from the body
                function dateTimeDeserializer(key, value) {
                    if (typeof value === 'string') {
                        const a = new Date(value);
                        if (!isNaN(a.valueOf())) {
                            return a;
                        }
                    }
                    return value;
                }
                let obj;
                let contents;
                try {
                    contents = yield res.readBody();
                    if (contents && contents.length > 0) {
                        if (options && options.deserializeDates) {
                            obj = JSON.parse(contents, dateTimeDeserializer);
                        }
                        else {
                            obj = JSON.parse(contents);
                        }
                        response.result = obj;
                    }
                    response.headers = res.message.headers;
                }
                catch (err) {
                    // Invalid resource (contents not json);  leaving result obj null
                }
                // note that 3xx redirects are handled by the http layer.
                if (statusCode > 299) {
                    let msg;
                    // if exception/error in body, attempt to get better error
                    if (obj && obj.message) {
                        msg = obj.message;
                    }
                    else if (contents && contents.length > 0) {
                        // it may be the case that the exception is in the body message as string
                        msg = contents;
                    }
                    else {
                        msg = `Failed request: (${statusCode})`;
                    }
                    const err = new HttpClientError(msg, statusCode);
                    err.result = response.result;
                    reject(err);
                }
                else {
                    resolve(response);
                }
            }));
        });
    }
}
const lowercaseKeys = (obj) => Object.keys(obj).reduce((c, k) => ((c[k.toLowerCase()] = obj[k]), c), {});
//# sourceMappingURL=index.js.map

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 

//# sourceMappingURL=index.js.map