# The launcher's page, script and style sheet are compiled into the player:
# lib/player/assets/* becomes a generated C file of byte arrays
# (player_assets.c) added to the player module. Included from
# lib/CMakeLists.txt after the player module is declared.
if(TARGET somo_mod_player)
  file(GLOB _somo_player_assets CONFIGURE_DEPENDS
    ${CMAKE_CURRENT_LIST_DIR}/assets/*.html
    ${CMAKE_CURRENT_LIST_DIR}/assets/*.js
    ${CMAKE_CURRENT_LIST_DIR}/assets/*.css
    ${CMAKE_CURRENT_LIST_DIR}/assets/*.svg)
  list(SORT _somo_player_assets)
  set(_somo_player_assets_c ${CMAKE_CURRENT_BINARY_DIR}/player_assets.c)
  add_custom_command(OUTPUT ${_somo_player_assets_c}
    COMMAND ${CMAKE_COMMAND} -DOUT=${_somo_player_assets_c}
            "-DFILES=${_somo_player_assets}"
            -P ${CMAKE_CURRENT_LIST_DIR}/embed-assets.cmake
    DEPENDS ${_somo_player_assets} ${CMAKE_CURRENT_LIST_DIR}/embed-assets.cmake
    COMMENT "Embedding the player's launcher"
    VERBATIM)
  target_sources(somo_mod_player PRIVATE ${_somo_player_assets_c})
endif()
