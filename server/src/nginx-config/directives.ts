// The directives a pasted config may use: those of nginx's http modules that act on the
// request in memory. Anything not listed here is refused, so a directive the lab has never
// heard of (a third-party module's, a new one) cannot reach past the private folder unseen.
// Refusals with a specific reason (files, code, the network) are in safety.ts.

const CORE = [
  'absolute_redirect', 'aio', 'aio_write', 'chunked_transfer_encoding', 'client_body_buffer_size', 'client_body_in_single_buffer',
  'client_body_timeout', 'client_header_buffer_size', 'client_header_timeout', 'client_max_body_size', 'connection_pool_size',
  'default_type', 'directio', 'directio_alignment', 'disable_symlinks', 'error_page', 'etag', 'if_modified_since',
  'ignore_invalid_headers', 'internal', 'keepalive_disable', 'keepalive_requests', 'keepalive_time', 'keepalive_timeout',
  'large_client_header_buffers', 'limit_except', 'limit_rate', 'limit_rate_after', 'lingering_close', 'lingering_time',
  'lingering_timeout', 'location', 'log_not_found', 'log_subrequest', 'max_ranges', 'merge_slashes', 'msie_padding',
  'msie_refresh', 'open_file_cache', 'open_file_cache_errors', 'open_file_cache_min_uses', 'open_file_cache_valid',
  'output_buffers', 'port_in_redirect', 'postpone_output', 'read_ahead', 'recursive_error_pages', 'request_pool_size',
  'reset_timedout_connection', 'satisfy', 'send_lowat', 'send_timeout', 'sendfile', 'sendfile_max_chunk', 'server',
  'server_name', 'server_name_in_redirect', 'server_names_hash_bucket_size', 'server_names_hash_max_size', 'server_tokens',
  'subrequest_output_buffer_size', 'tcp_nodelay', 'tcp_nopush', 'try_files', 'types', 'types_hash_bucket_size',
  'types_hash_max_size', 'underscores_in_headers', 'variables_hash_bucket_size', 'variables_hash_max_size', 'auth_delay',
  'index', 'autoindex', 'autoindex_exact_size', 'autoindex_format', 'autoindex_localtime',
];

const PROXY = [
  'proxy_pass', 'proxy_http_version', 'proxy_set_header', 'proxy_pass_header', 'proxy_hide_header', 'proxy_ignore_headers',
  'proxy_pass_request_body', 'proxy_pass_request_headers', 'proxy_read_timeout', 'proxy_send_timeout', 'proxy_connect_timeout',
  'proxy_buffering', 'proxy_buffer_size', 'proxy_buffers', 'proxy_busy_buffers_size', 'proxy_request_buffering', 'proxy_redirect',
  'proxy_cookie_domain', 'proxy_cookie_path', 'proxy_cookie_flags', 'proxy_intercept_errors', 'proxy_next_upstream',
  'proxy_next_upstream_tries', 'proxy_next_upstream_timeout', 'proxy_method', 'proxy_set_body', 'proxy_socket_keepalive',
  'proxy_ignore_client_abort', 'proxy_max_temp_file_size', 'proxy_temp_file_write_size', 'proxy_limit_rate', 'proxy_force_ranges',
  'proxy_headers_hash_bucket_size', 'proxy_headers_hash_max_size', 'proxy_cache', 'proxy_cache_bypass', 'proxy_no_cache',
  'proxy_cache_valid', 'proxy_cache_key', 'proxy_cache_methods', 'proxy_cache_lock', 'proxy_cache_lock_age', 'proxy_cache_lock_timeout',
  'proxy_cache_use_stale', 'proxy_cache_revalidate', 'proxy_cache_min_uses', 'proxy_cache_background_update',
  'proxy_cache_convert_head', 'proxy_cache_max_range_offset', 'proxy_store_access', 'proxy_ssl_server_name', 'proxy_ssl_name',
  'proxy_ssl_protocols', 'proxy_ssl_ciphers', 'proxy_ssl_session_reuse', 'proxy_ssl_verify', 'proxy_ssl_verify_depth',
];

const REWRITE_AND_HEADERS = ['if', 'set', 'return', 'rewrite', 'break', 'rewrite_log', 'uninitialized_variable_warn', 'add_header', 'add_trailer', 'expires'];

const OTHER_MODULES = [
  // access, auth_basic (its user file is refused), auth_request, realip
  'allow', 'deny', 'auth_basic', 'auth_request', 'auth_request_set', 'set_real_ip_from', 'real_ip_header', 'real_ip_recursive',
  // map and friends (their blocks hold values, not directives)
  'map', 'map_hash_bucket_size', 'map_hash_max_size', 'split_clients', 'geo',
  // limits
  'limit_req', 'limit_req_zone', 'limit_req_status', 'limit_req_log_level', 'limit_req_dry_run',
  'limit_conn', 'limit_conn_zone', 'limit_conn_status', 'limit_conn_log_level', 'limit_conn_dry_run',
  // compression and filters
  'gzip', 'gzip_buffers', 'gzip_comp_level', 'gzip_disable', 'gzip_http_version', 'gzip_min_length', 'gzip_proxied', 'gzip_types',
  'gzip_vary', 'gunzip', 'gunzip_buffers', 'sub_filter', 'sub_filter_once', 'sub_filter_types', 'sub_filter_last_modified',
  'charset', 'charset_map', 'charset_types', 'source_charset', 'override_charset',
  // subrequests to locations of the same config, whose proxy_pass the lab rewrites too
  'mirror', 'mirror_request_body', 'add_before_body', 'add_after_body', 'addition_types', 'slice',
  // misc
  'stub_status', 'empty_gif', 'valid_referers', 'referer_hash_bucket_size', 'referer_hash_max_size', 'secure_link', 'secure_link_md5',
  'secure_link_secret', 'userid', 'userid_domain', 'userid_expires', 'userid_flags', 'userid_mark', 'userid_name', 'userid_p3p',
  'userid_path', 'userid_service', 'log_format',
  // TLS settings that name no file and reach no server (the lab's listener is plain HTTP)
  'ssl_protocols', 'ssl_ciphers', 'ssl_prefer_server_ciphers', 'ssl_session_cache', 'ssl_session_timeout', 'ssl_session_tickets',
  'ssl_buffer_size', 'ssl_ecdh_curve', 'ssl_early_data', 'ssl_verify_client', 'ssl_verify_depth', 'ssl_reject_handshake',
  'http2_body_preread_size', 'http2_chunk_size', 'http2_idle_timeout', 'http2_max_concurrent_pushes', 'http2_max_concurrent_streams',
  'http2_max_field_size', 'http2_max_header_size', 'http2_max_requests', 'http2_recv_buffer_size', 'http2_recv_timeout',
];

export const ALLOWED_DIRECTIVES: ReadonlySet<string> = new Set([...CORE, ...PROXY, ...REWRITE_AND_HEADERS, ...OTHER_MODULES]);

/** Blocks whose entries are values (`key value;`), not directives: only `include` inside them means anything. */
export const VALUE_BLOCKS: ReadonlySet<string> = new Set(['map', 'types', 'geo', 'split_clients', 'charset_map']);

/** Directives that belong at http level: with a pasted `location`, they go beside the lab's server block, not inside it. */
export const HTTP_LEVEL: ReadonlySet<string> = new Set([
  'map', 'geo', 'split_clients', 'charset_map', 'limit_req_zone', 'limit_conn_zone', 'log_format', 'upstream',
  'map_hash_bucket_size', 'map_hash_max_size', 'variables_hash_bucket_size', 'variables_hash_max_size',
  'server_names_hash_bucket_size', 'server_names_hash_max_size', 'proxy_headers_hash_bucket_size', 'proxy_headers_hash_max_size',
]);

/** Directives of nginx's main context, which the lab writes itself. */
export const MAIN_CONTEXT: ReadonlySet<string> = new Set([
  'user', 'worker_processes', 'worker_cpu_affinity', 'worker_priority', 'worker_rlimit_core', 'worker_rlimit_nofile',
  'worker_shutdown_timeout', 'working_directory', 'daemon', 'master_process', 'pid', 'lock_file', 'env', 'timer_resolution',
  'pcre_jit', 'thread_pool', 'debug_points', 'ssl_engine', 'google_perftools_profile', 'events', 'http', 'stream', 'mail',
  'worker_connections', 'use', 'multi_accept', 'accept_mutex', 'accept_mutex_delay', 'debug_connection', 'worker_aio_requests',
]);
