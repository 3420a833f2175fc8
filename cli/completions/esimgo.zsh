#compdef esimgo
# zsh completion for esimgo. Install as _esimgo somewhere in $fpath.

_esimgo() {
  local -a globals
  globals=(
    '--api-key[API key (or ESIMGO_API_KEY)]:key:'
    '--api-key-file[read the API key from a file]:file:_files'
    '--base-url[API base URL]:url:'
    '--api-version[API version of the default host]:version:(2.4 2.5)'
    '--sandbox[use the embedded sandbox]'
    {-o,--output}'[output format]:format:(table json csv)'
    '--timeout[per-request timeout]:duration:'
    '--retries[retries of safe reads]:n:'
    {-v,--verbose}'[trace requests on stderr]'
    '--no-color[no colours]'
    '--version[print the version]'
    '--help[show help]'
  )
  local -A subs
  subs=(
    catalogue 'list show prices'
    orders 'list create show'
    esims 'list show update history refresh compatible sms location apply install suspend unsuspend suspension delete'
    bundles 'list show revoke'
    inventory 'list refund'
    organisation 'show topup groups'
    callbacks 'listen tail replay prune hooks verify'
    contract 'check replay allow-list'
    sandbox 'serve usage clock reset policy-suspension consumption'
  )
  local -a words_nf
  local w
  for w in ${words[2,CURRENT-1]}; do
    [[ $w == -* ]] || words_nf+=$w
  done
  if (( ${#words_nf} == 0 )); then
    _arguments -s $globals '*::command:(catalogue orders esims bundles inventory organisation networks callbacks contract sandbox)'
  elif (( ${#words_nf} == 1 )) && [[ -n ${subs[$words_nf[1]]} ]]; then
    _arguments -s $globals "*::subcommand:(${subs[$words_nf[1]]})"
  else
    case "$words_nf[1] $words_nf[2]" in
      'esims install') _arguments -s $globals '--format:format:(json csv zip)' '--out:file:_files' '--qr' '--qr-png:dir:_files -/' '--additional-fields:fields:(appleInstallUrl)' '*:reference:' ;;
      # The values come from the binary (esimgo/limits.h), never from a copy kept here.
      'esims list') _arguments -s $globals "--per-page:n:($(${words[1]} __values per-page 2>/dev/null))" "--filter-by:field:($(${words[1]} __values filter-by 2>/dev/null))" '--filter:value:' '--direction:dir:(asc desc)' '--page:n:' '--all' ;;
      'esims suspend'|'esims unsuspend'|'esims refresh') _arguments -s $globals '--yes' '*:iccid:' ;;
      'esims delete') _arguments -s $globals '--yes[irreversible: do not ask]' '*:iccid:' ;;
      'catalogue prices') _arguments -s $globals '--country:iso:' ;;
      'orders create') _arguments -s $globals '--assign' '*--iccid:iccid:' '--allow-reassign' '--validate' '--yes' '*:bundle:' ;;
      'bundles revoke') _arguments -s $globals '--assignment:id:' '--validate' '--refund-to-balance' '--offer-id:id:' '--yes' '*:arg:' ;;
      'callbacks listen') _arguments -s $globals '--host:host:' '--port:port:' '--path:path:' '--store:file or postgresql URL:_files' '--dedupe-window:duration:' '--source:name:' '--exec:command:' '--hook-workers:n:' '--hook-attempts:n:' '--hook-lease:duration:' '--require-signature' '--previous-api-key:key:' '--drain-grace:duration:' '--max-requests-per-client:n:' '--quiet' ;;
      'callbacks tail') _arguments -s $globals '--store:file or postgresql URL:_files' '(-f --follow)'{-f,--follow} '--since:id, duration or time:' '--type:alert type:' '--iccid:iccid:' '--consumer:name:' '(-n --limit)'{-n,--limit}':n:' ;;
      'callbacks replay') _arguments -s $globals '--store:file or postgresql URL:_files' '*--id:event id:' '--since:id, duration or time:' '--until:id, duration or time:' '--forward-to:url:' '--exec:command:' '--previous-api-key:key:' ;;
      'callbacks prune') _arguments -s $globals '--store:file or postgresql URL:_files' '--older-than:duration:' '--dedupe-window:duration:' ;;
      'callbacks hooks') _arguments -s $globals '*::action:(run list retry)' ;;
      'contract check') _arguments -s $globals '--api-version:version:(2.4 2.5)' '--record:dir:_files -/' ;;
      'contract replay') _arguments -s $globals '--api-version:version:(2.4 2.5)' '*:dir:_files -/' ;;
      'callbacks verify') _arguments -s $globals '--body-file:file:_files' '--signature:sig:' ;;
      *) _arguments -s $globals '*:arg:' ;;
    esac
  fi
}

_esimgo "$@"
