export interface Config {
  runway?: {
    /** Runway's permission policy (@runway/plugin-permission-backend-module-policy). */
    permissions?: {
      /**
       * Entity refs (usually groups, e.g. `group:default/platform`) whose members may act
       * on every entity's canaries, whoever owns the entity. A user matches through the
       * ownership refs sign-in gave them (their own ref and their groups').
       */
      platformTeams?: string[];
    };
  };
}
