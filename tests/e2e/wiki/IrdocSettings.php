<?php
// Settings of irdoc's test wikis (tests/e2e/wiki.mjs). Each instance's own
// LocalSettings.php (written into its temp directory) defines $irdocWiki with:
//   server  "http://127.0.0.1:PORT"
//   dir     the instance's temp directory (data/, cache/ and tmp/ live there)
//   secret  a random secret key
// and then requires this file. Nothing here reaches beyond 127.0.0.1.
if ( !defined( 'MEDIAWIKI' ) ) {
	exit;
}

// ---- site and URLs: the same layout as wikitech.wikimedia.org ----
$wgSitename = 'Wikitech';
$wgMetaNamespace = 'Wikitech';
$wgServer = $irdocWiki['server'];
$wgCanonicalServer = $irdocWiki['server'];
$wgScriptPath = '/w';
$wgArticlePath = '/wiki/$1';
$wgUsePathInfo = true;
$wgResourceBasePath = $wgScriptPath;
$wgFavicon = "$wgResourceBasePath/resources/assets/change-your-logo-icon.svg"; // no /favicon.ico 404
$wgLogos = [ '1x' => "$wgResourceBasePath/resources/assets/wiki.png" ]; // MediaWiki's own sample logo
$wgLanguageCode = 'en';
$wgNamespacesWithSubpages[NS_MAIN] = true; // as on wikitech: "< Incidents", {{SUBPAGENAME}}
$wgLocaltimezone = 'UTC';
$wgDefaultSkin = 'vector';      // legacy Vector; ?useskin=vector-2022 gives the new one
wfLoadSkin( 'Vector' );

// ---- database: SQLite in the instance's directory ----
$wgDBtype = 'sqlite';
$wgDBname = 'wiki';
$wgDBserver = '';
$wgDBuser = '';
$wgDBpassword = '';
$wgSQLiteDataDir = $irdocWiki['dir'] . '/data';
$wgObjectCaches[CACHE_DB] = [
	'class' => SqlBagOStuff::class,
	'loggroup' => 'SQLBagOStuff',
	'server' => [
		'type' => 'sqlite',
		'dbname' => 'wikicache',
		'tablePrefix' => '',
		'variables' => [ 'synchronous' => 'NORMAL' ],
		'dbDirectory' => $wgSQLiteDataDir,
		'trxMode' => 'IMMEDIATE',
		'flags' => 0,
	],
];
$wgLocalisationCacheConf['storeServer'] = [
	'type' => 'sqlite',
	'dbname' => "{$wgDBname}_l10n_cache",
	'tablePrefix' => '',
	'variables' => [ 'synchronous' => 'NORMAL' ],
	'dbDirectory' => $wgSQLiteDataDir,
	'trxMode' => 'IMMEDIATE',
	'flags' => 0,
];
$wgJobTypeConf['default'] = [
	'class' => 'JobQueueDB',
	'claimTTL' => 3600,
	'server' => [
		'type' => 'sqlite',
		'dbname' => "{$wgDBname}_jobqueue",
		'tablePrefix' => '',
		'variables' => [ 'synchronous' => 'NORMAL' ],
		'dbDirectory' => $wgSQLiteDataDir,
		'trxMode' => 'IMMEDIATE',
		'flags' => 0,
	],
];
$wgSecretKey = $irdocWiki['secret'];
$wgAuthenticationTokenVersion = '1';
$wgUpgradeKey = substr( $irdocWiki['secret'], 0, 16 );

// ---- files of this instance only ----
$wgCacheDirectory = $irdocWiki['dir'] . '/cache';
$wgTmpDirectory = $irdocWiki['dir'] . '/tmp';
$wgUploadDirectory = $irdocWiki['dir'] . '/images';
$wgUploadPath = "$wgScriptPath/images";
$wgExtensionDirectory = "$IP/extensions-core"; // Debian's bundled extensions (not /var/lib/mediawiki)
$wgExtensionAssetsPath = "$wgScriptPath/extensions-core";
$wgDebugLogFile = '';
$wgDBerrorLog = false;           // Debian's PlatformSettings.php (not loaded) logs to /var/log/mediawiki
$wgDebugLogGroups = [];

// ---- caches: nothing stale between an edit and the next read ----
$wgMainCacheType = CACHE_NONE;
$wgParserCacheType = CACHE_NONE;  // every view parses the current revision and templates
$wgMessageCacheType = CACHE_NONE;
$wgSessionCacheType = CACHE_DB;   // sessions must outlive a request (log-in)
$wgCachePages = false;            // no 304s from If-Modified-Since
$wgEnableSidebarCache = false;
$wgUseFileCache = false;
$wgUseCdn = false;
$wgJobRunRate = 0;                // jobs run in the seeding script, not in page views

// ---- what the tests rely on ----
$wgShowExceptionDetails = true;
$wgRawHtml = false;
$wgEnableUploads = false;
$wgEnableEmail = false;
$wgEnableUserEmail = false;
$wgEmailAuthentication = false;
$wgEnotifUserTalk = false;
$wgEnotifWatchlist = false;
$wgRateLimits = [];                       // no edit or login rate limits for anyone
$wgGroupPermissions['user']['noratelimit'] = true;
$wgPasswordAttemptThrottle = [];
$wgAccountCreationThrottle = 0;
// Anonymous api.php reads with origin=* (CORS, no credentials) are MediaWiki's default.
$wgAllowCopyUploads = false;

// ---- nothing reaches outside 127.0.0.1 ----
$wgUseInstantCommons = false;
$wgForeignFileRepos = [];
$wgPingback = false;
$wgEnableDnsBlacklist = false;
$wgAllowExternalImages = false;
$wgUseImageMagick = false;
$wgHTTPProxy = false;
$wgCdnServers = [];
$wgRightsPage = '';
$wgRightsUrl = '';
$wgRightsText = '';
$wgRightsIcon = '';
$wgDiff3 = '/usr/bin/diff3';

// ---- extensions that wikitech has and the template stand-ins use; local only ----
wfLoadExtension( 'ParserFunctions' );
wfLoadExtension( 'Cite' );
