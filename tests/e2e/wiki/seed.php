<?php
/**
 * Seeds one test wiki in a single PHP process (tests/e2e/wiki.mjs): interwiki
 * prefixes, then pages, then the job queue. Reads JSON from stdin:
 *
 *   { "interwiki": [ { "prefix": "phab", "url": "https://example/$1" } ],
 *     "pages": [ { "title": "T", "text": "wikitext", "summary": "...", "user": "Name" } ] }
 *
 * and prints one JSON line: { "pages": [ { "title", "revid", "changed" } ] }.
 *
 * Each page is saved exactly as maintenance/edit.php saves it (PageUpdater with
 * the main slot, so MediaWiki's pre-save transform applies: trailing whitespace
 * is trimmed, ~~~~ expanded, and so on). edit.php costs about a second of PHP
 * start-up per page; this does the same for all pages in one start-up.
 *
 * Run: MW_INSTALL_PATH=... MW_CONFIG_FILE=.../LocalSettings.php php seed.php < seed.json
 */

use MediaWiki\MediaWikiServices;
use MediaWiki\Revision\SlotRecord;

$IP = getenv( 'MW_INSTALL_PATH' );
if ( $IP === false || $IP === '' ) {
	fwrite( STDERR, "seed.php: MW_INSTALL_PATH is not set\n" );
	exit( 2 );
}
require_once "$IP/maintenance/Maintenance.php";

class IrdocSeed extends Maintenance {
	public function __construct() {
		parent::__construct();
		$this->addDescription( 'Seed an irdoc test wiki from JSON on stdin' );
	}

	public function execute() {
		$input = json_decode( $this->getStdin( Maintenance::STDIN_ALL ), true );
		if ( !is_array( $input ) ) {
			$this->fatalError( 'seed.php: stdin is not a JSON object' );
		}
		$services = MediaWikiServices::getInstance();

		$dbw = $this->getDB( DB_PRIMARY );
		foreach ( $input['interwiki'] ?? [] as $iw ) {
			$dbw->delete( 'interwiki', [ 'iw_prefix' => $iw['prefix'] ], __METHOD__ );
			$dbw->insert( 'interwiki', [
				'iw_prefix' => $iw['prefix'],
				'iw_url' => $iw['url'],
				'iw_api' => '',
				'iw_wikiid' => '',
				'iw_local' => 0,
				'iw_trans' => 0,
			], __METHOD__ );
		}
		if ( ( $input['interwiki'] ?? [] ) !== [] ) {
			$services->getInterwikiLookup()->invalidateCache( $input['interwiki'][0]['prefix'] );
		}

		$out = [];
		foreach ( $input['pages'] ?? [] as $p ) {
			$out[] = $this->savePage( $p );
		}

		// Link tables and cache invalidation of pages using edited templates.
		$runner = $services->getJobRunner();
		$runner->run( [ 'maxJobs' => 10000, 'maxTime' => 60 ] );

		$this->output( json_encode( [ 'pages' => $out ] ) . "\n" );
	}

	private function savePage( array $p ): array {
		$services = MediaWikiServices::getInstance();
		$title = Title::newFromText( $p['title'] );
		if ( !$title ) {
			$this->fatalError( "seed.php: invalid title: {$p['title']}" );
		}
		$name = $p['user'] ?? null;
		$user = $name === null
			? User::newSystemUser( User::MAINTENANCE_SCRIPT_USER, [ 'steal' => true ] )
			: $services->getUserFactory()->newFromName( $name );
		if ( !$user || !$user->isRegistered() ) {
			$this->fatalError( "seed.php: no such user: $name" );
		}
		$page = $services->getWikiPageFactory()->newFromTitle( $title );
		$content = ContentHandler::makeContent( (string)$p['text'], $title );
		$updater = $page->newPageUpdater( $user );
		$updater->setContent( SlotRecord::MAIN, $content );
		$rev = $updater->saveRevision(
			CommentStoreComment::newUnsavedComment( (string)( $p['summary'] ?? 'irdoc test seed' ) ),
			0 // the flags of maintenance/edit.php without options
		);
		$status = $updater->getStatus();
		if ( !$status->isOK() ) {
			$this->fatalError( "seed.php: saving {$p['title']} failed: "
				. $status->getMessage( false, false, 'en' )->text() );
		}
		// A null edit (same text) saves no revision: report the current one.
		$revid = $rev ? $rev->getId() : $title->getLatestRevID( Title::READ_LATEST );
		return [ 'title' => $title->getPrefixedText(), 'revid' => $revid, 'changed' => (bool)$rev ];
	}
}

$maintClass = IrdocSeed::class;
require_once RUN_MAINTENANCE_IF_MAIN;
