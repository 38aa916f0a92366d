<?php
// Router for PHP's built-in web server (php -S 127.0.0.1:PORT router.php) in
// the document root of one test wiki (tests/e2e/wiki.mjs), which holds
// w -> MediaWiki's directory. URLs as on wikitech.wikimedia.org:
//   /w/index.php, /w/api.php, /w/load.php, /w/rest.php  MediaWiki's entry points
//   /w/skins/..., /w/resources/...                       static files
//   /wiki/Title                                          short article URLs (index.php)
//   /                                                    redirect to /wiki/
$path = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
if ( !is_string( $path ) ) {
	$path = '/';
}
$ip = getenv( 'MW_INSTALL_PATH' );
// Tells wiki.mjs that this php answers, not another server that took the port.
header( 'X-Irdoc-Wiki: ' . getenv( 'IRDOC_WIKI_NONCE' ) );

if ( $path === '/' || $path === '/wiki' ) {
	header( 'Location: /wiki/', true, 301 );
	return true;
}

if ( strncmp( $path, '/wiki/', 6 ) === 0 ) {
	// MediaWiki takes the title from REQUEST_URI through $wgArticlePath.
	$_SERVER['SCRIPT_NAME'] = '/w/index.php';
	$_SERVER['PHP_SELF'] = '/w/index.php';
	$_SERVER['SCRIPT_FILENAME'] = "$ip/index.php";
	chdir( $ip );
	require "$ip/index.php";
	return true;
}

if ( strncmp( $path, '/w/', 3 ) === 0 ) {
	$rel = substr( $path, 3 );
	// Entry points, also with a path after them (index.php/Title).
	if ( preg_match( '~^([a-z_]+\.php)(/|$)~', $rel, $m ) && is_file( "$ip/{$m[1]}" ) ) {
		return false;
	}
	if ( strpos( $rel, '..' ) === false && preg_match( '~^(skins|resources|extensions-core)/~', $rel )
		&& is_file( "$ip/$rel" ) && !preg_match( '~\.php$~', $rel )
	) {
		return false; // the built-in server sends the static file with its MIME type
	}
}

http_response_code( 404 );
header( 'Content-Type: text/plain; charset=utf-8' );
echo "404 Not Found: $path\n";
return true;
