# bash completion for esimgo. Source this file or install it as
# /usr/share/bash-completion/completions/esimgo.
_esimgo() {
  local cur prev words cword
  _init_completion 2>/dev/null || {
    cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
    words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
  }
  local globals="--api-key --api-key-file --base-url --api-version --sandbox --output -o --timeout --retries --verbose -v --no-color --version --help"
  case "$prev" in
    --output|-o) COMPREPLY=($(compgen -W "table json csv" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "json csv zip" -- "$cur")); return ;;
    --direction) COMPREPLY=($(compgen -W "asc desc" -- "$cur")); return ;;
    --api-version) COMPREPLY=($(compgen -W "2.4 2.5" -- "$cur")); return ;;
    # The values come from the binary (esimgo/limits.h), never from a copy kept here.
    --per-page) COMPREPLY=(); [[ " ${words[*]} " == *" esims "* ]] && COMPREPLY=($(compgen -W "$("${words[0]}" __values per-page 2>/dev/null)" -- "$cur")); return ;;
    --filter-by) COMPREPLY=($(compgen -W "$("${words[0]}" __values filter-by 2>/dev/null)" -- "$cur")); return ;;
    --callback-version) COMPREPLY=($(compgen -W "2 3" -- "$cur")); return ;;
    --api-key-file|--store|--body-file|--out|--db) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --qr-png) COMPREPLY=($(compgen -d -- "$cur")); return ;;
  esac
  local group="" sub="" w i
  for ((i = 1; i < cword; i++)); do
    w=${words[i]}
    case "$w" in -*) continue ;; esac
    case "${words[i-1]}" in --api-key|--api-key-file|--base-url|--api-version|--output|-o|--timeout|--retries) continue ;; esac
    if [ -z "$group" ]; then group=$w; elif [ -z "$sub" ]; then sub=$w; fi
  done
  local cmds=""
  case "$group" in
    "") cmds="catalogue orders esims bundles inventory organisation networks callbacks contract sandbox" ;;
    catalogue) [ -z "$sub" ] && cmds="list show prices"
      [ "$sub" = prices ] && cmds="--country"
      [ "$sub" = list ] && cmds="--countries --region --group --description --page --per-page --all --order-by --direction" ;;
    orders) [ -z "$sub" ] && cmds="list create show"
      [ "$sub" = list ] && cmds="--page --limit --include-iccids --since --until"
      [ "$sub" = create ] && cmds="--assign --iccid --allow-reassign --validate --yes" ;;
    esims) [ -z "$sub" ] && cmds="list show update history refresh compatible sms location apply install suspend unsuspend suspension delete"
      case "$sub" in
        list) cmds="--page --per-page --filter-by --filter --direction --order-by --all" ;;
        show) cmds="--additional-fields" ;;
        update) cmds="--customer-ref" ;;
        refresh|suspend|unsuspend|delete) cmds="--yes" ;;
        sms) cmds="--from" ;;
        apply) cmds="--iccid --repeat --allow-reassign" ;;
        install) cmds="--format --out --qr --qr-png --additional-fields" ;;
      esac ;;
    bundles) [ -z "$sub" ] && cmds="list show revoke"
      [ "$sub" = list ] && cmds="--include-used --limit"
      [ "$sub" = revoke ] && cmds="--assignment --validate --refund-to-balance --offer-id --yes" ;;
    inventory) [ -z "$sub" ] && cmds="list refund"
      [ "$sub" = refund ] && cmds="--quantity --yes" ;;
    organisation|org) [ -z "$sub" ] && cmds="show topup groups"
      [ "$sub" = topup ] && cmds="--yes" ;;
    networks) cmds="--countries --isos --all" ;;
    callbacks) [ -z "$sub" ] && cmds="listen tail replay prune hooks verify"
      case "$sub" in
        listen) cmds="--host --port --path --store --dedupe-window --source --exec --hook-workers --hook-attempts --hook-lease --require-signature --previous-api-key --drain-grace --max-requests-per-client --quiet" ;;
        tail) cmds="--store --follow -f --since --type --iccid --consumer --limit -n" ;;
        replay) cmds="--store --id --since --until --forward-to --exec --previous-api-key" ;;
        prune) cmds="--store --older-than --dedupe-window" ;;
        hooks) cmds="run list retry" ;;
        verify) cmds="--body-file --signature" ;;
      esac ;;
    contract) [ -z "$sub" ] && cmds="check replay allow-list"
      [ "$sub" = check ] && cmds="--api-version --record"
      [ "$sub" = replay ] && cmds="--api-version" ;;
    sandbox) [ -z "$sub" ] && cmds="serve usage clock reset policy-suspension consumption"
      [ "$sub" = serve ] && cmds="--host --port --db --api-key --callback-url --callback-version --rate-limit --seed --faults"
      [ "$sub" = usage ] && cmds="--bytes --percent --country"
      [ "$sub" = clock ] && cmds="--advance" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$cmds $globals" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(printf '%s\n' $cmds | grep -v '^-')" -- "$cur"))
  fi
}
complete -F _esimgo esimgo
