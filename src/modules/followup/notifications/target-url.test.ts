import { describe, expect, it } from 'vitest';
import { isPrivateAddress, redactUrl, scrub, urlProblem } from './target-url.js';

const strict = { allowHttp: false, allowPrivateTargets: false };
const dev = { allowHttp: false, allowPrivateTargets: true };

describe('target URL checks', () => {
  it('accepts public https URLs, with ports, paths and queries', () => {
    for (const url of ['https://hooks.example.com/in', 'https://hooks.example.com:8443/a/b?x=1', 'https://93.184.216.34/hook', 'https://[2606:4700::1111]/hook']) {
      expect(urlProblem(url, strict), url).toBeUndefined();
    }
  });

  it('wants https, except to this machine or when the server allows plain http', () => {
    expect(urlProblem('http://hooks.example.com/in', dev)).toMatch(/must be https/);
    expect(urlProblem('http://hooks.example.com/in', { ...dev, allowHttp: true })).toBeUndefined();
    expect(urlProblem('http://127.0.0.1:9000/in', dev)).toBeUndefined();
    expect(urlProblem('http://localhost:9000/in', dev)).toBeUndefined();
    // A name that only looks like a loopback address is a remote host.
    expect(urlProblem('http://127.0.0.1.evil.example/in', dev)).toMatch(/must be https/);
    expect(urlProblem('ftp://files.example.com/', dev)).toMatch(/must be https \(not ftp\)/);
    expect(urlProblem('javascript:alert(1)', dev)).toMatch(/must be https/);
  });

  it('refuses credentials, garbage and overlong URLs', () => {
    expect(urlProblem('https://user:pw@hooks.example.com/', dev)).toMatch(/credentials/);
    expect(urlProblem('https://user@hooks.example.com/', dev)).toMatch(/credentials/);
    expect(urlProblem('hooks.example.com/in', dev)).toMatch(/absolute URL/);
    expect(urlProblem(`https://hooks.example.com/${'a'.repeat(2048)}`, dev)).toMatch(/longer than 2048/);
  });

  it('refuses private, loopback, link-local and local names when the server sends only to public addresses', () => {
    for (const url of [
      'https://10.0.0.5/',
      'https://172.20.1.1/',
      'https://192.168.1.1/',
      'https://127.0.0.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://localhost/',
      'https://api.localhost/',
      'https://printer.local/',
      'https://metadata.google.internal/',
      'https://intranet/',
    ]) {
      expect(urlProblem(url, strict), url).toMatch(/private|local host/);
      expect(urlProblem(url, dev), url).toBeUndefined();
    }
  });

  it('knows private addresses in every spelling', () => {
    expect(isPrivateAddress('10.1.2.3')).toBe(true);
    expect(isPrivateAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isPrivateAddress('::ffff:a00:1')).toBe(true);
    expect(isPrivateAddress('[::1]')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('2001:4860:4860::8888')).toBe(false);
    expect(isPrivateAddress('not-an-ip')).toBe(false);
  });
});

describe('redaction', () => {
  it('masks credentials, secret-looking query values and a Slack URL’s secret path', () => {
    expect(redactUrl('https://u:p@h.example.com/x?token=abc&api_key=def&sig=1&tenant=acme#frag', 'webhook')).toBe('https://***:***@h.example.com/x?token=***&api_key=***&sig=***&tenant=acme');
    expect(redactUrl('https://hooks.slack.com/services/T000/B000/XXXXsecret', 'slack')).toBe('https://hooks.slack.com/services/T000/B000/***');
    expect(redactUrl('https://hooks.example.com/services/T000/B000/visible', 'webhook')).toBe('https://hooks.example.com/services/T000/B000/visible');
  });

  it('blanks secrets and URL credentials in free text, strips control characters, and cuts it short', () => {
    const text = scrub('echo: whsec_abcdef and https://bob:pw@x.example/?token=t0k3n\u0007!', ['whsec_abcdef']);
    expect(text).toBe('echo: *** and https://***@x.example/?token=*** !');
    expect(scrub('x'.repeat(1000), [])).toHaveLength(500);
  });
});
