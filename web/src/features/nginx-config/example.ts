/** A config with the classic mistakes, for a class to start from. */
export const EXAMPLE_CONFIG = `location /ws/ {
    proxy_pass http://app.internal:3000/;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection "upgrade";
    proxy_set_header Host $host;
    proxy_read_timeout 2s;
}
`;
